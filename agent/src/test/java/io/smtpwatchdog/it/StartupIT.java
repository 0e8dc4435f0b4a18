package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.HostApp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starting up: one clear line for a bad option and a host that runs regardless; one line when active. */
class StartupIT {
    private static final Duration CHILD = Duration.ofSeconds(60);

    static Stream<Arguments> badOptions() {
        return Jdks.times(
                "bannerTimeout=5x|bannerTimeout",
                "mode=loud|mode",
                "ports=0|ports",
                "ports=25,2525|2525",
                "bannerTimout=5s|bannerTimout",
                "config=/nonexistent/watchdog.properties|/nonexistent/watchdog.properties",
                "maxDestinations=-1|maxDestinations",
                "slotAcquire=com.acme.Limiter#acquire(java.lang.String)|slotAcquire",
                "slotRelease=com.acme.Limiter#release(String)@0|slotRelease",
                "delivery=com.acme.Relay#deliver(java.lang.String,..@0|delivery",
                "slotGrace=2x|slotGrace");
    }

    @ParameterizedTest
    @MethodSource("badOptions")
    void aBadOptionIsOneLineNamingItAndTheHostRuns(Path jdk, String spec) throws Exception {
        String[] parts = spec.split("\\|");
        try (ChildJvm c = ChildJvm.on(jdk).agent(parts[0]).run(HostApp.class, "1500")) {
            c.awaitOut("^HOST RAN$", CHILD);
            assertEquals(0, c.exitCode(CHILD));
            List<String> ours = c.err().stream().filter(l -> l.contains("smtp-watchdog")).toList();
            assertEquals(1, ours.size(), "exactly one line from the agent: " + c.err());
            assertTrue(ours.get(0).contains(parts[1]), "the line names " + parts[1] + ": " + ours.get(0));
            assertTrue(ours.get(0).contains("inactive"), "and says the agent stays inactive: " + ours.get(0));
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void anActiveAgentSaysSoOnceWithItsSettingsAndVerifiedHooks(Path jdk) throws Exception {
        try (ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=30s").run(HostApp.class, "4000")) {
            String active = c.awaitErr("smtp-watchdog active in \\d+ ms: .*", CHILD).group();
            assertTrue(active.contains(" ms: version " + CliIT.jarVersion() + ", bannerTimeout=30s"), active);
            assertTrue(active.contains("mode in force enforce"), active);
            assertTrue(active.contains("connect=verified") && active.contains("read=verified")
                    && active.contains("close=verified"), active);
            assertTrue(active.contains("channel-connect=verified") && active.contains("channel-finish-connect=verified")
                    && active.contains("channel-close=verified") && active.contains("channel-read=installed"), active);
            assertTrue(active.contains("libraries {angus-smtp=waiting, sun-smtp=waiting, jakarta-send=waiting, "
                    + "javax-send=waiting, commons-net-smtp=waiting, vertx-send=waiting, vertx-connect=waiting, "
                    + "netty-epoll=waiting, netty-io_uring=waiting, netty-io_uring-incubator=waiting, "
                    + "netty-kqueue=waiting}"),
                    "no mail library here, none linked: " + active);
            c.awaitOut("^HOST RAN$", CHILD);
            assertEquals(0, c.exitCode(CHILD));
            assertEquals(0, c.countErr(l -> l.contains("Unsafe")), "no Unsafe warnings from Byte Buddy: " + c.err());
            assertEquals(0, c.countErr(l -> l.contains("SLF4J")), "no SLF4J provider complaints: " + c.err());
            // The bridge is defined in the bootstrap loader, not appended to its path: no "Sharing is only
            // supported for boot loader classes" warning, nor any other line the host did not write.
            assertEquals(List.of(), c.err().stream().filter(l -> !l.contains("smtp-watchdog")).toList(),
                    "stderr holds the agent's own lines only, no JVM warning");
        }
    }
}

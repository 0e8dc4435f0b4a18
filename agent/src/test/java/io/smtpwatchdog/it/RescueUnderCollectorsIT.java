package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.StuckHost;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rescue's one dangerous step, reading a socket impl out of the JDK's Cleaner, under the collectors where
 * reading the wrong referent crashes the JVM (ZGC and Shenandoah) and under G1: while the host drops unclosed sockets
 * as fast as it can, so that the collector reclaims Cleaner entries during every sweep, and with the agent looking
 * every 10 ms instead of every second. Zero crashes is the bar. The same host with an agent that reads every entry's
 * referent without the proof crashed under Shenandoah in 2 of 4 runs (docs/evidence.md, "Reliability", R8). One run per
 * collector and JDK here; {@code -Dsoak=true} makes it ten ({@code -Dsoak.runs=N} any other number).
 */
class RescueUnderCollectorsIT {
    private static final Duration CHILD = Duration.ofSeconds(120);
    private static final String[] COLLECTORS = {"-XX:+UseG1GC", "-XX:+UseZGC", "-XX:+UseShenandoahGC"};

    static Stream<Arguments> runs() {
        int runs = Integer.getInteger("soak.runs", Boolean.getBoolean("soak") ? 10 : 1);
        List<Arguments> out = new ArrayList<>();
        for (Path jdk : Jdks.homes()) {
            for (String gc : COLLECTORS) {
                for (int i = 1; i <= runs; i++) {
                    out.add(Arguments.of(jdk, gc, i));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} run {2}")
    @MethodSource("runs")
    void sweepsWhileTheCollectorReclaimsSocketsNeverCrashTheHost(Path jdk, String gc, int run) throws Exception {
        Path dir = Files.createTempDirectory("rescue-gc");
        try (Peer tarpit = Peer.start(Peer.tarpit());
             Peer oneByte = Peer.start(s -> {
                 s.getOutputStream().write('x');
                 s.close(); // the host drops its side unclosed; its Cleaner entry waits for the collector
             });
             ChildJvm c = ChildJvm.on(jdk).noAgent().jvm("-XX:+EnableDynamicAgentLoading", gc, "-Xmx64m",
                             "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"), "-Dio.smtpwatchdog.rescue.lookMillis=10")
                     .run(StuckHost.class, "127.0.0.1", "plain:" + tarpit.port(), "timed:" + tarpit.port(),
                             "churn:" + oneByte.port(), "churn:" + oneByte.port(), "hold:6000")) {
            String pid = c.awaitOut("^BLOCKED pid=(\\d+)", CHILD).group(1);
            String[] attached = CliIT.cli(jdk, "attach", pid, "bannerTimeout=2s,ports=" + tarpit.port());
            assertEquals("0", attached[0], attached[2]);
            for (String thread : new String[] {"plain-1", "timed-2"}) {
                assertEquals("java.net.SocketException", c.awaitOut("^FAILED " + thread + " ([^:]+):", CHILD).group(1));
            }
            Matcher done = c.awaitOut("^DONE .* sockets=(\\d+) churned=(\\d+)", CHILD);
            int exit = c.exitCode(CHILD);
            try (Stream<Path> crashes = Files.list(dir)) {
                assertEquals(List.of(), crashes.toList(), "no JVM crash report");
            }
            assertEquals(0, exit, "the host ended normally under " + gc);
            assertEquals("0", done.group(1));
            assertTrue(Long.parseLong(done.group(2)) > 500, "sockets were dropped during the sweeps: " + done.group());
            assertEquals(0, c.countErr(l -> l.contains(" ERROR ")), "no agent error: " + c.err());
            tarpit.awaitOpen(0, CHILD);
        }
    }
}

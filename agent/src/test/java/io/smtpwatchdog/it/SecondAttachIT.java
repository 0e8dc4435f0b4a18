package io.smtpwatchdog.it;

import com.sun.tools.attach.VirtualMachine;
import io.smtpwatchdog.it.child.HostApp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One agent per JVM: {@code attach} into a JVM whose agent is active (from {@code -javaagent}, or attached before)
 * is refused with one line naming its options, and the agent's own entry point refuses a second load by other means
 * ({@code jcmd JVMTI.agent_load}), with one line on the target's stderr and nothing installed.
 */
class SecondAttachIT {
    private static final Duration CHILD = Duration.ofSeconds(90);

    private static long activeLines(ChildJvm c) {
        return c.countErr(l -> l.contains("smtp-watchdog active in"));
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aSecondAgentIntoAJavaagentHostIsRefusedByTheCliAndByTheAgentItself(Path jdk) throws Exception {
        try (ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=7s").jvm("-XX:+EnableDynamicAgentLoading")
                .run(HostApp.class, "60000")) {
            c.awaitErr("smtp-watchdog active in", CHILD);
            String pid = String.valueOf(c.pid());
            VirtualMachine vm = VirtualMachine.attach(pid);
            String marker;
            try {
                marker = vm.getSystemProperties().getProperty("io.smtpwatchdog.active");
            } finally {
                vm.detach();
            }
            assertTrue(marker != null && marker.startsWith("bannerTimeout=7s,mode=enforce,"), "the marker holds the "
                    + "options in force: " + marker);

            String[] cli = CliIT.cli(jdk, "attach", pid, "bannerTimeout=1s");
            ReleaseSlotIT.refused(cli, "process " + pid + " already runs an SMTP Watchdog agent, with " + marker
                    + "; not loading a second one: ");
            assertTrue(cli[2].contains("over JMX (smtpwatchdog:type=Watchdog)"), cli[2]);

            // By other means than the CLI: the jar's agentmain is run, and refuses.
            Process jcmd = new ProcessBuilder(jdk.resolve("bin/jcmd").toString(), pid, "JVMTI.agent_load",
                    ChildJvm.agentJar().toString(), "bannerTimeout=1s").redirectErrorStream(true).start();
            String said = new String(jcmd.getInputStream().readAllBytes());
            assertTrue(jcmd.waitFor(60, TimeUnit.SECONDS), "jcmd returns");
            System.out.println("[jcmd] " + said);
            c.awaitErr("^smtp-watchdog: not loaded: an SMTP Watchdog agent is already active in this JVM, with "
                    + java.util.regex.Pattern.quote(marker) + "; .*over JMX", CHILD);
            Thread.sleep(2000); // an install, had one started, logs within about a second
            List<String> err = c.err();
            assertEquals(1, activeLines(c), "one agent started: " + err);
            assertEquals(1, c.countErr(l -> l.contains("not loaded")), "the refusal is one line: " + err);
            assertEquals(0, c.countErr(l -> l.contains("registered already") || l.contains("bannerTimeout=1s")),
                    "nothing of the second agent ran: " + err);
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aSecondAttachAfterACliAttachIsRefused(Path jdk) throws Exception {
        try (ChildJvm c = ChildJvm.on(jdk).noAgent().jvm("-XX:+EnableDynamicAgentLoading")
                .run(HostApp.class, "60000")) {
            String pid = String.valueOf(c.pid());
            String[] first = CliIT.cli(jdk, "attach", pid, "bannerTimeout=3s");
            assertEquals("0", first[0], first[2]);
            String[] second = CliIT.cli(jdk, "attach", pid, "bannerTimeout=4s,mode=monitor");
            ReleaseSlotIT.refused(second, "process " + pid + " already runs an SMTP Watchdog agent, with "
                    + "bannerTimeout=3s,mode=enforce,");
            assertTrue(second[2].contains("not loading a second one"), second[2]);
            Thread.sleep(1000);
            assertEquals(1, activeLines(c), "one agent started: " + c.err());
        }
    }
}

package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.GreetingClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The docs' jmxterm walk-through, run as written against a host with the agent: jmxterm 1.0.4's uber jar, started with
 * {@code --add-exports jdk.jconsole/sun.tools.jconsole=ALL-UNNAMED} so that {@code open <pid>} can attach on JDK 9 and
 * later (without it, on JDK 17, {@code open} fails: jmxterm reaches into {@code sun.tools.jconsole}, which
 * {@code jdk.jconsole} does not export, and shows only an {@code UndeclaredThrowableException}; this test checks that
 * too, so the docs keep saying why the flag is there).
 */
class JmxtermIT {
    private static final Duration CHILD = Duration.ofSeconds(90);
    static final String ADD_EXPORTS = "--add-exports=jdk.jconsole/sun.tools.jconsole=ALL-UNNAMED";

    /** The walk-through's commands, the pid and the tarpit's destination filled in. */
    static String script(long pid, String destination) {
        return "open " + pid + "\n"
                + "bean smtpwatchdog:type=Watchdog\n"
                + "get Tracked AwaitingGreeting ReapedTotal ModeInForce\n"
                + "set Mode monitor\n"
                + "get Mode\n"
                + "run setDestinationBannerTimeout tarpit.example 30000\n"
                + "run setDestinationTimeout stall.example mailTimeout 1m\n"
                + "bean smtpwatchdog:type=Domain,name=" + destination + "\n"
                + "get AwaitingGreeting OldestAwaitingMillis SlotsHeld\n"
                + "close\n"
                + "quit\n";
    }

    /** Runs jmxterm on {@code jdk} with {@code flags}, feeding {@code script}; its stdout and stderr together. */
    private static String jmxterm(Path jdk, List<String> flags, String script) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.resolve("bin/java").toString()));
        cmd.addAll(flags);
        cmd.addAll(List.of("-jar", System.getProperty("jmxterm.jar"), "-n"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(script.getBytes(StandardCharsets.US_ASCII));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jmxterm returns");
        System.out.println("[jmxterm " + flags + "]\n" + out);
        return out;
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void theDocsWalkThroughWorksAsWritten(Path jdk) throws Exception {
        assertTrue(Files.isRegularFile(Path.of(System.getProperty("jmxterm.jar"))), "jmxterm copied by the build");
        try (Peer tarpit = Peer.start(Peer.tarpit());
             // jmxremote: the platform MBeanServer exists from the start, so the agent registers at once.
             ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=1h,ports=" + tarpit.port())
                     .jvm("-Dcom.sun.management.jmxremote")
                     .run(GreetingClient.class, "127.0.0.1", String.valueOf(tarpit.port()), "plain", "60000", "0")) {
            c.awaitOut("^LIVE", CHILD);
            tarpit.awaitOpen(1, CHILD);
            if (Jdks.feature(jdk) == 17) {
                String refused = jmxterm(jdk, List.of(), script(c.pid(), "127.0.0.1"));
                // jmxterm prints the IllegalAccessException's wrapper only; the open fails, and so does every command.
                assertTrue(refused.contains("#UndeclaredThrowableException")
                        && refused.contains("Connection isn't open yet"), "why the docs add the flag: " + refused);
            }
            String out = jmxterm(jdk, List.of(ADD_EXPORTS), script(c.pid(), "127.0.0.1"));
            assertTrue(out.contains("Tracked = 1;"), out);
            assertTrue(out.contains("AwaitingGreeting = 1;"), out);
            assertTrue(out.contains("ReapedTotal = 0;"), out);
            assertTrue(out.contains("ModeInForce = enforce;"), out);
            assertTrue(out.contains("Mode = monitor;"), "set Mode took effect: " + out);
            assertTrue(out.contains("SlotsHeld = 0;"), out);
            assertTrue(out.matches("(?s).*OldestAwaitingMillis = \\d+;.*"), out);
            assertEquals(0, out.lines().filter(l -> l.contains("Exception") || l.startsWith("#IllegalArgument")).count(),
                    "no command failed: " + out);
        }
    }
}

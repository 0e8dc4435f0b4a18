package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.HostApp;
import io.smtpwatchdog.it.child.LateClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator CLI in the agent jar: attach to a running JVM, status, and clear errors. */
class CliIT {
    private static final Duration CHILD = Duration.ofSeconds(90);

    /** Runs {@code java -jar agent.jar args} with the given JDK; returns exit code, stdout and stderr. */
    static String[] cli(Path jdk, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(jdk.resolve("bin/java").toString(), "-jar",
                ChildJvm.agentJar().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the CLI returns");
        String[] r = {String.valueOf(p.exitValue()), new String(out, StandardCharsets.UTF_8),
            new String(err, StandardCharsets.UTF_8)};
        System.out.println("[cli " + String.join(" ", args) + "] exit " + r[0] + "\n" + r[1] + r[2]);
        return r;
    }

    /** The version the build wrote into the agent jar's manifest, which every tool must report. */
    static String jarVersion() throws Exception {
        try (JarFile jar = new JarFile(ChildJvm.agentJar().toFile())) {
            String v = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
            assertTrue(v != null && !v.isBlank(), "the manifest names the version");
            return v;
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void attachingToARunningJvmWatchesItsNewConnectionsAndStatusShowsThem(Path jdk) throws Exception {
        Path trigger = Files.createTempDirectory("cli-it").resolve("go");
        try (Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = ChildJvm.on(jdk).noAgent().jvm("-XX:+EnableDynamicAgentLoading")
                     .run(LateClient.class, trigger.toString(), "127.0.0.1", String.valueOf(tarpit.port()))) {
            c.awaitOut("^READY", CHILD);
            String pid = String.valueOf(c.pid());
            String[] none = cli(jdk, "status", pid);
            assertEquals("2", none[0]);
            assertTrue(none[2].contains("runs no SMTP Watchdog agent") && none[2].contains("attach " + pid), none[2]);

            String[] attached = cli(jdk, "attach", pid, "bannerTimeout=2s,ports=" + tarpit.port());
            assertEquals("0", attached[0], attached[2]);
            assertTrue(attached[1].contains("attached: SMTP Watchdog in process " + pid + ": mode enforce"),
                    attached[1]);
            assertTrue(attached[1].contains(", version " + jarVersion() + "\n"), attached[1]);
            Files.createFile(trigger);
            assertEquals("java.net.SocketException", c.awaitOut("^FAILED (\\S+):", CHILD).group(1),
                    "a connection opened after the attach is reaped");
            Map<String, Long> t = Counters.totals(c);
            assertEquals(1, t.get("reaped"));
            assertEquals(0, c.exitCode(CHILD));
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void statusPrintsATableOfDestinations(Path jdk) throws Exception {
        try (Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=1h,captureStacks=true,ports=" + tarpit.port())
                     .run(io.smtpwatchdog.it.child.GreetingClient.class, "127.0.0.1", String.valueOf(tarpit.port()),
                             "plain", "8000", "0")) {
            c.awaitOut("^LIVE", CHILD);
            tarpit.awaitOpen(1, CHILD);
            String[] status = cli(jdk, "status", String.valueOf(c.pid()));
            assertEquals("0", status[0], status[2]);
            String[] lines = status[1].split("\n");
            assertTrue(lines[0].contains("mode enforce, bannerTimeout 1h, tracked 1"), status[1]);
            assertTrue(lines[0].endsWith(", version " + jarVersion()), "the header names the agent's version: "
                    + lines[0]);
            assertTrue(lines[1].startsWith("DESTINATION") && lines[1].contains("SLOTS HELD  GIVEN BACK  OLDEST WAIT"),
                    status[1]);
            assertTrue(lines[2].matches("127\\.0\\.0\\.1\\s+1\\s+1\\s+0\\s+0\\s+0\\s+0\\s+\\d+\\.\\ds"), lines[2]);
            assertTrue(lines[3].matches("\\(total\\)\\s+1\\s+1\\s+0\\s+0\\s+0\\s+0"), lines[3]);
            assertTrue(lines[4].matches("oldest wait: greeting, for greeting, \\d+\\.\\ds, #1 to 127\\.0\\.0\\.1 "
                    + "\\(127\\.0\\.0\\.1:" + tarpit.port() + "\\)"), lines[4]);

            // --stacks: the host's frames above its connect, the way to find a server's delivery method.
            String[] stacks = cli(jdk, "status", String.valueOf(c.pid()), "--stacks");
            assertEquals("0", stacks[0], stacks[2]);
            assertTrue(stacks[1].contains("connection #1 to 127.0.0.1 (127.0.0.1:" + tarpit.port() + "), host thread "
                    + "'main', awaiting-greeting:"), stacks[1]);
            assertTrue(stacks[1].contains("    at io.smtpwatchdog.it.child.GreetingClient."), stacks[1]);
            String[] twice = cli(jdk, "status", String.valueOf(c.pid()), "--stacks", "--stacks");
            assertEquals("2", twice[0]);
            assertTrue(twice[2].contains("usage: status <pid> [--watch[=2s]] [--stacks]; not '--stacks'"), twice[2]);
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void statusWatchRefreshesUntilTheTargetGoesAway(Path jdk) throws Exception {
        try (ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=1h").run(HostApp.class, "6000")) {
            c.awaitErr("smtp-watchdog active in", CHILD);
            String[] watched = cli(jdk, "status", String.valueOf(c.pid()), "--watch=1s");
            long tables = watched[1].lines().filter(l -> l.startsWith("DESTINATION")).count();
            assertTrue(tables >= 2, "refreshed at least twice before the target exited: " + watched[1]);
            List<String> frames = watched[1].lines().filter(l -> l.startsWith("SMTP Watchdog in process")).toList();
            List<String> times = watched[1].lines().filter(l -> l.startsWith("--- ")).toList();
            assertEquals(frames.size(), times.size(), "every frame has its time: " + watched[1]);
            for (String t : times) {
                assertTrue(t.matches("--- \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ ---"), t);
            }
            assertTrue(watched[1].startsWith("--- "), "the time comes first in a frame: " + watched[1]);
            assertEquals("2", watched[0], "ends with an error once the target has gone: " + watched[2]);
            assertEquals(List.of("smtp-watchdog: process " + c.pid() + " went away"), watched[2].lines().toList(),
                    "our one line and none of the JDK's RMI or JMX logging");
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void versionIsOneLineAndExitZero(Path jdk) throws Exception {
        for (String command : List.of("--version", "version")) {
            String[] v = cli(jdk, command);
            assertEquals("0", v[0], v[2]);
            assertEquals("smtp-watchdog " + jarVersion() + "\n", v[1]);
            assertEquals("", v[2]);
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void statusOnAProcessThatIsNoJvmFailsAtOnce(Path jdk) throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            long start = System.nanoTime();
            String[] notJava = cli(jdk, "status", String.valueOf(sleep.pid()));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals("2", notJava[0]);
            assertEquals(List.of("smtp-watchdog: process " + sleep.pid() + " is not a Java process (no JVM loaded in "
                    + "it); jps or jcmd -l list the Java processes"), notJava[2].lines().toList());
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "not the attach API's 10 s wait: " + took);
            assertTrue(sleep.isAlive(), "and the process was not signalled");
        } finally {
            sleep.destroy();
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void badCommandLinesAreOneLineAndExitTwo(Path jdk) throws Exception {
        String[] notANumber = cli(jdk, "status", "abc");
        assertEquals("2", notANumber[0]);
        assertTrue(notANumber[2].contains("'abc' is not a process id"), notANumber[2]);
        String[] gone = cli(jdk, "status", "2147483646");
        assertEquals("2", gone[0]);
        assertTrue(gone[2].contains("no process 2147483646") || gone[2].contains("cannot attach"), gone[2]);
        try (ChildJvm c = ChildJvm.on(jdk).noAgent().run(HostApp.class, "60000")) {
            String[] badOption = cli(jdk, "attach", String.valueOf(c.pid()), "mode=loud");
            assertEquals("2", badOption[0]);
            assertTrue(badOption[2].contains("bad option mode=loud"), "checked before touching the JVM");
        }
        try (ChildJvm refusing = ChildJvm.on(jdk).noAgent().jvm("-XX:+DisableAttachMechanism")
                .run(HostApp.class, "60000")) {
            String[] refused = cli(jdk, "status", String.valueOf(refusing.pid()));
            assertEquals("2", refused[0]);
            assertTrue(refused[2].contains("-XX:+DisableAttachMechanism"), "names the flag: " + refused[2]);
        }
        String[] unknown = cli(jdk, "frobnicate");
        assertEquals("2", unknown[0]);
        assertTrue(unknown[2].contains("unknown command 'frobnicate'"), unknown[2]);
    }
}

package io.smtpwatchdog.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an operator sees from the packaged jar when the command line is wrong. */
class CommandLineIT {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private static void assertOneLineError(ChildJvm jvm, int code, String... expected) throws InterruptedException {
        assertEquals(code, jvm.awaitExit(LIMIT), jvm::stderr);
        String stderr = jvm.stderr().strip();
        assertFalse(stderr.contains("\n"), () -> "more than one line: " + stderr);
        assertFalse(stderr.contains("Exception"), () -> "a stack trace or exception name: " + stderr);
        assertTrue(stderr.startsWith("demo-server: "), stderr);
        for (String part : expected) {
            assertTrue(stderr.contains(part), () -> "'" + part + "' missing from: " + stderr);
        }
        assertTrue(jvm.lines().isEmpty(), () -> "stdout: " + jvm.lines());
    }

    @Test
    void aBadDurationNamesTheOptionAndTheAcceptedForm() throws Exception {
        try (ChildJvm jvm = ChildJvm.start("bad-duration", "--demo", "--duration", "soon")) {
            assertOneLineError(jvm, 2, "--duration", "30s, 1500ms", "'soon'");
        }
    }

    @Test
    void anUnknownOptionIsRefused() throws Exception {
        try (ChildJvm jvm = ChildJvm.start("unknown-option", "--demo", "--colour", "red")) {
            assertOneLineError(jvm, 2, "--colour", "--help");
        }
    }

    @Test
    void aBadRoutesFileNamesTheLine(@TempDir Path dir) throws Exception {
        Path routes = dir.resolve("routes.txt");
        Files.writeString(routes, "# fine\ngood.example 127.0.0.1:2525\ntypo.example 127.0.0.1\n");
        try (ChildJvm jvm = ChildJvm.start("bad-routes", "--routes", routes.toString(), "--spool",
                dir.resolve("spool").toString())) {
            assertOneLineError(jvm, 2, "line 3", "<host>:<port>");
        }
    }

    @Test
    void aTakenPortIsAStartFailureNotAStackTrace(@TempDir Path dir) throws Exception {
        Path routes = dir.resolve("routes.txt");
        Files.writeString(routes, "* 127.0.0.1:2525\n");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ChildJvm jvm = ChildJvm.start("port-taken", "--routes", routes.toString(), "--spool",
                     dir.resolve("spool").toString(), "--port", String.valueOf(taken.getLocalPort()))) {
            assertOneLineError(jvm, 1, "cannot start: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void anUnusableSpoolIsAStartFailureNamingThePath(@TempDir Path dir) throws Exception {
        Path routes = dir.resolve("routes.txt");
        Files.writeString(routes, "* 127.0.0.1:2525\n");
        Path notADirectory = dir.resolve("plain-file");
        Files.writeString(notADirectory, "");
        try (ChildJvm jvm = ChildJvm.start("spool-unusable", "--routes", routes.toString(), "--spool",
                notADirectory.toString(), "--port", "0")) {
            assertOneLineError(jvm, 1, "cannot start: ", notADirectory.toString());
        }
    }

    @Test
    void theRelayPrintsStatusWhenStopped(@TempDir Path dir) throws Exception {
        Path routes = dir.resolve("routes.txt");
        Files.writeString(routes, "good.example 127.0.0.1:2525\n* 127.0.0.1:2525\n");
        try (ChildJvm jvm = ChildJvm.start("status-at-exit", "--routes", routes.toString(), "--spool",
                dir.resolve("spool").toString(), "--port", "0")) {
            jvm.awaitLine("LISTENING 127.0.0.1:", LIMIT);
            assertTrue(Files.isDirectory(dir.resolve("spool").resolve("failed")));
            jvm.terminate();
            jvm.awaitExit(LIMIT);
            assertTrue(jvm.lines().contains(
                    "STATUS domain=good.example queued=0 inflight=0 delivered=0 failed=0 slots=0/2"), jvm.lines()::toString);
        }
    }

    @Test
    void helpPrintsEveryOption() throws IOException, InterruptedException {
        try (ChildJvm jvm = ChildJvm.start("help", "--help")) {
            assertEquals(0, jvm.awaitExit(LIMIT));
            String out = String.join("\n", jvm.lines());
            for (String option : new String[] {"--demo", "--port", "--spool", "--routes", "--threads",
                    "--per-domain-limit", "--retry-base", "--max-attempts", "--max-message-size",
                    "--fixed-client", "--greeting-timeout", "--status-interval", "--messages", "--heal-after",
                    "--duration", "--remote-port", "--stall-mail"}) {
                assertTrue(out.contains(option), option);
            }
        }
    }
}

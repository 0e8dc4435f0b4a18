package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.BlockedStderrHost;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A host stderr that blocks forever (a full pipe nobody reads) must not stop the watchdog: the agent's log lines
 * are handed to a thread of its own, so the reaper still reaps, deliveries still work, and host threads that make
 * the agent log return at once. The control, with a working stderr, shows the same lines do come out, including
 * one logged just before the host exits.
 */
class BlockedStderrIT {
    private static final Duration CHILD = Duration.ofSeconds(90);
    /** Generous: the deadline is 1 s; on the old agent these threads never returned. */
    private static final long PROMPT_MILLIS = 15_000;

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aBlockedStderrStopsNeitherTheReaperNorTheHost(Path jdk) throws Exception {
        try (Peer smtp = Peer.start(Peer.greeter("220 healthy.example ready\r\n", Duration.ZERO));
             Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = run(jdk, smtp, tarpit, "blocked")) {
            assertHostUnharmed(c);
            assertEquals("true", c.awaitOut("^PARKED (\\S+)", CHILD).group(1),
                    "the agent's printing thread really is parked in the host's stderr");
            assertEquals(0, c.exitCode(CHILD), "the exit is not held up by lines that cannot be printed");
            // The reap lines went to the blocked stream, not to the real stderr.
            assertEquals(0, c.countErr(l -> l.contains("reaped SMTP connection")), c.err().toString());
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void withAWorkingStderrTheSameLinesArrive(Path jdk) throws Exception {
        try (Peer smtp = Peer.start(Peer.greeter("220 healthy.example ready\r\n", Duration.ZERO));
             Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = run(jdk, smtp, tarpit, "normal")) {
            assertHostUnharmed(c);
            assertEquals(0, c.exitCode(CHILD));
            List<String> err = c.err();
            assertEquals(1, c.countErr(l -> l.contains(BlockedStderrHost.Relay.class.getName() + "#deliver")
                    && l.contains("installed in") && l.contains("[logging-host]")), err.toString());
            int first = indexOf(err, "reaped SMTP connection", "host thread 'tarpit-1'");
            int second = indexOf(err, "reaped SMTP connection", "host thread 'tarpit-2'");
            assertTrue(first >= 0 && second > first, "both reaps logged, in order: " + err);
            assertEquals(1, c.countErr(l -> l.contains(BlockedStderrHost.LastWords.class.getName() + "#deliver")
                    && l.contains("installed in")), "the line logged just before System.exit came out: " + err);
        }
    }

    private static ChildJvm run(Path jdk, Peer smtp, Peer tarpit, String stderr) throws Exception {
        String declared = BlockedStderrHost.Relay.class.getName() + "#deliver(java.lang.String,java.lang.String,int)@0 "
                + BlockedStderrHost.LastWords.class.getName() + "#deliver(java.lang.String,java.lang.String,int)@0";
        return ChildJvm.on(jdk)
                .agent("bannerTimeout=1s,ports=" + tarpit.port() + ",delivery=" + declared)
                .run(BlockedStderrHost.class, "127.0.0.1", String.valueOf(smtp.port()), String.valueOf(tarpit.port()),
                        stderr);
    }

    private static void assertHostUnharmed(ChildJvm c) throws Exception {
        assertPrompt("delivered", c.awaitOut("^LOGGING (.*)", CHILD).group(1),
                "a host thread that makes the agent log returns and delivers");
        for (int i = 1; i <= 2; i++) {
            String outcome = c.awaitOut("^TARPIT " + i + " (.*)", CHILD).group(1);
            assertPrompt("reaped", outcome, "tarpit " + i + " is reaped");
            assertTrue(outcome.contains("SocketException"), outcome);
        }
        assertPrompt("delivered", c.awaitOut("^AFTER (.*)", CHILD).group(1), "deliveries go on");
        Map<String, Long> t = Counters.totals(c);
        assertEquals(2, t.get("reaped"), t.toString());
        assertEquals(0, t.get("open"), t.toString());
        c.awaitOut("^EXITING$", CHILD);
        assertTrue(c.out().stream().noneMatch(l -> l.startsWith("UNCAUGHT")), c.out().toString());
    }

    /** The outcome is {@code <kind> after <ms> ms...}, within {@link #PROMPT_MILLIS}. */
    private static void assertPrompt(String kind, String outcome, String what) {
        Matcher m = java.util.regex.Pattern.compile("^" + kind + " after (\\d+) ms").matcher(outcome);
        assertTrue(m.find(), what + ": " + outcome);
        assertTrue(Long.parseLong(m.group(1)) < PROMPT_MILLIS, what + " promptly: " + outcome);
    }

    private static int indexOf(List<String> lines, String a, String b) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(a) && lines.get(i).contains(b)) {
                return i;
            }
        }
        return -1;
    }
}

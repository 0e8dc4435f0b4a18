package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.JakartaMailClient;
import io.smtpwatchdog.it.child.PipeliningClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reply deadlines after the greeting, beyond one stall per phase (see {@link ReplyStalls}): pipelined commands each
 * matched to their own reply, a connection idle between messages never judged, and monitor mode that reports a stall
 * once and closes nothing.
 */
class ReplyDeadlineIT {
    private static final Duration CHILD = Duration.ofSeconds(90);

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void pipelinedRepliesAreMatchedToTheirCommandsInOrder(Path jdk) throws Exception {
        // Each RCPT's reply comes 2 s late: within rcptTimeout (4 s), past mailTimeout and dataTimeout (1 s). Were a
        // reply matched to the wrong command, a RCPT wait would be judged by the 1 s deadline of MAIL or DATA.
        Collection<String> envelopes = new ConcurrentLinkedQueue<>();
        try (Peer peer = Peer.start(SessionPeer.pipelining(Map.of("RCPT", Duration.ofMillis(2000)), envelopes));
             ChildJvm c = ChildJvm.on(jdk).agent("ports=" + peer.port() + ",mailTimeout=1s,rcptTimeout=4s,"
                     + "dataTimeout=1s,dataEndTimeout=1s,commandTimeout=1s")
                     .run(PipeliningClient.class, "127.0.0.1", String.valueOf(peer.port()))) {
            long first = Long.parseLong(c.awaitOut("^REPLY MAIL 250 after (\\d+) ms", CHILD).group(1));
            long data = Long.parseLong(c.awaitOut("^REPLY DATA 354 after (\\d+) ms", CHILD).group(1));
            assertTrue(data - first >= 3800, "two RCPT replies, 2 s each, came between: " + (data - first) + " ms");
            c.awaitOut("^DONE", CHILD);
            Map<String, Long> t = Counters.totals(c);
            assertEquals(1, t.get("connects"), "tracked: " + t);
            assertEquals(0, t.get("reaped"), t.toString());
            assertEquals(0, t.get("overdue"), t.toString());
            assertEquals(List.of("FROM <a@client.example> TO <x@one.example>,<y@one.example>"),
                    new ArrayList<>(envelopes));
            assertEquals(0, c.exitCode(CHILD));
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aStallAtTheSecondPipelinedRcptIsJudgedAsARcptWait(Path jdk) throws Exception {
        try (Peer peer = Peer.start(SessionPeer.pipelining(SessionPeer.Timing.prompt().stallingAt("RCPT", 2),
                new ConcurrentLinkedQueue<>()));
             ChildJvm c = ChildJvm.on(jdk).agent("ports=" + peer.port() + ",mailTimeout=30s,rcptTimeout=2s,"
                     + "dataTimeout=30s,commandTimeout=30s")
                     .run(PipeliningClient.class, "127.0.0.1", String.valueOf(peer.port()))) {
            c.awaitOut("^REPLY RCPT 250", CHILD);
            Matcher failed = c.awaitOut("^FAILED (\\S+): .* after (\\d+) ms", CHILD);
            assertEquals("java.net.SocketException", failed.group(1), failed.group());
            c.awaitErr("reaped SMTP connection #1 .*: no reply to RCPT after \\d+ ms \\(rcptTimeout 2s\\)", CHILD);
            Map<String, Long> t = Counters.totals(c);
            assertEquals(1, t.get("reapedRcpt"), t.toString());
            assertEquals(1, t.get("reaped"), t.toString());
            assertEquals(0, t.get("open"), t.toString());
            assertEquals(0, c.exitCode(CHILD));
            peer.awaitOpen(0, Duration.ofSeconds(20));
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aTransportIdleForTwiceTheLongestDeadlineThenUsedSendsUntouched(Path jdk) throws Exception {
        Collection<String> envelopes = new ConcurrentLinkedQueue<>();
        try (Peer peer = Peer.start(SessionPeer.smtp(envelopes, false));
             ChildJvm c = ChildJvm.on(jdk).agent(ReplyStalls.AGENT).classpath(MailLibs.classpath("angus"))
                     .run(JakartaMailClient.class, "localhost", String.valueOf(peer.port()), "plain", "idle", "4500",
                             "ann@one.example")) {
            c.awaitOut("^CONNECTED", CHILD);
            c.awaitOut("^SENT ann@one.example", CHILD);
            c.awaitOut("^SENT ann@one.example", CHILD);
            c.awaitOut("^CLOSED", CHILD);
            Map<String, Long> t = Counters.totals(c);
            assertEquals(1, t.get("connects"), "one connection for both messages: " + t);
            assertEquals(0, t.get("reaped"), t.toString());
            assertEquals(0, t.get("overdue"), t.toString());
            assertEquals(2, envelopes.size(), envelopes.toString());
            assertEquals(0, c.exitCode(CHILD));
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void monitorModeReportsAStallOnceAndClosesNothing(Path jdk) throws Exception {
        Collection<String> transcript = new ConcurrentLinkedQueue<>();
        try (Peer peer = Peer.start(SessionPeer.stallAt(SessionPeer.Stall.MAIL, transcript));
             ChildJvm c = ChildJvm.on(jdk).agent(ReplyStalls.AGENT + ",mode=monitor")
                     .classpath(MailLibs.classpath("angus"))
                     .run(JakartaMailClient.class, "localhost", String.valueOf(peer.port()), "plain", "send",
                             "ann@stalled.example")) {
            c.awaitErr("would reap SMTP connection #1 .*: no reply to MAIL after \\d+ ms \\(mailTimeout 2s\\); "
                    + "host thread '.*'; not closed: mode=monitor", CHILD);
            Thread.sleep(3000); // more looks by the reaper, each past the deadline
            assertEquals(1, peer.open(), "still open at the peer");
            assertFalse(c.out().stream().anyMatch(l -> l.startsWith("FAILED") || l.startsWith("SENT")),
                    "the client still waits: " + c.out());
            assertEquals(1, c.countErr(l -> l.contains("would reap SMTP connection")), "reported once: " + c.err());
            assertEquals(0, c.countErr(l -> l.contains(" reaped SMTP connection")), c.err().toString());
        }
    }
}

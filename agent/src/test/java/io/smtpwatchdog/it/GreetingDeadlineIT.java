package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.GreetingClient;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The greeting deadline against plain SMTP peers: what is reaped, what is not, and that nothing is left open on
 * either side. Deadlines are seconds; bounds are generous because the machine is small and noisy.
 */
class GreetingDeadlineIT {
    private static final Duration CHILD = Duration.ofSeconds(90);

    private static ChildJvm client(Path jdk, String agentArgs, Peer peer, String soTimeout, String holdMs)
            throws Exception {
        return ChildJvm.on(jdk).agent(agentArgs)
                .run(GreetingClient.class, "127.0.0.1", String.valueOf(peer.port()), "plain", soTimeout, holdMs);
    }

    private static long elapsed(Matcher m) {
        return Long.parseLong(m.group(m.groupCount()));
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aTarpitIsReapedAtTheDeadlineAndNothingStaysOpen(Path jdk) throws Exception {
        try (Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = client(jdk, "bannerTimeout=2s,ports=" + tarpit.port(), tarpit, "0", "0")) {
            Matcher failed = c.awaitOut("^FAILED (\\S+): .* after (\\d+) ms", CHILD);
            assertEquals("java.net.SocketException", failed.group(1), "the host thread gets a SocketException");
            long ms = elapsed(failed);
            assertTrue(ms >= 2000 && ms < 20_000, "reaped near the 2 s deadline, not after " + ms + " ms");
            Map<String, Long> t = Counters.totals(c);
            assertEquals(1, t.get("connects"));
            assertEquals(1, t.get("reaped"));
            assertEquals(1, t.get("closes"));
            assertEquals(0, t.get("open"));
            assertEquals(0, t.get("awaiting"));
            tarpit.awaitOpen(0, Duration.ofSeconds(20));
            assertEquals(0, c.exitCode(CHILD));
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aDrippingPeerDoesNotExtendTheDeadline(Path jdk) throws Exception {
        // One byte every 200 ms defeats the client's 1 s per-read timeout; the wall-clock deadline still holds.
        try (Peer drip = Peer.start(Peer.drip(Duration.ofMillis(200)));
             ChildJvm c = client(jdk, "bannerTimeout=2s,ports=" + drip.port(), drip, "1000", "0")) {
            Matcher failed = c.awaitOut("^FAILED (\\S+): .* after (\\d+) ms", CHILD);
            assertEquals("java.net.SocketException", failed.group(1));
            assertTrue(elapsed(failed) >= 2000 && elapsed(failed) < 20_000, "after " + elapsed(failed) + " ms");
            Map<String, Long> t = Counters.totals(c);
            assertEquals(1, t.get("reaped"));
            assertEquals(0, t.get("open"));
            drip.awaitOpen(0, Duration.ofSeconds(20));
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aSlowButLegalGreetingIsNotReaped(Path jdk) throws Exception {
        try (Peer slow = Peer.start(Peer.greeter("220 slow but fine\r\n", Duration.ofMillis(1500)));
             ChildJvm c = client(jdk, "bannerTimeout=6s,ports=" + slow.port(), slow, "0", "0")) {
            Matcher greeting = c.awaitOut("^GREETING (.*) after (\\d+) ms", CHILD);
            assertEquals("220 slow but fine", greeting.group(1));
            assertTrue(elapsed(greeting) >= 1500);
            c.awaitOut("^QUIT 221", CHILD);
            Map<String, Long> t = Counters.totals(c);
            assertEquals(0, t.get("reaped"));
            assertEquals(0, t.get("overdue"));
            assertEquals(1, t.get("closes"));
            assertEquals(0, t.get("open"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aMultiLineGreetingEndsTheWaitAndTheSessionOutlivesTheDeadline(Path jdk) throws Exception {
        String greeting = "220-mx.example ESMTP\r\n220-no UCE\r\n220 ready\r\n";
        try (Peer healthy = Peer.start(Peer.greeter(greeting, Duration.ZERO));
             ChildJvm c = client(jdk, "bannerTimeout=2s,ports=" + healthy.port(), healthy, "0", "3500")) {
            assertEquals("220 ready", c.awaitOut("^GREETING (.*) after (\\d+) ms", CHILD).group(1));
            c.awaitOut("^QUIT 221", CHILD); // held 3.5 s, past the 2 s deadline, and still alive
            Map<String, Long> t = Counters.totals(c);
            assertEquals(0, t.get("reaped"));
            assertEquals(0, t.get("overdue"));
            assertEquals(1, t.get("connects"));
            assertEquals(1, t.get("closes"));
            assertEquals(0, t.get("inSession"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void slowRepliesToAPipelinedGroupAfterTheGreetingAreNotTheGreetingsDeadline(Path jdk) throws Exception {
        Collection<String> envelopes = new ConcurrentLinkedQueue<>();
        try (Peer slow = Peer.start(SessionPeer.pipelining(Map.of("RCPT", Duration.ofMillis(1500)), envelopes));
             ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=2s,ports=" + slow.port())
                     .run(PipeliningClient.class, "127.0.0.1", String.valueOf(slow.port()))) {
            long rcpts = Long.parseLong(c.awaitOut("^REPLY RCPT 250 after (\\d+) ms", CHILD).group(1));
            long last = Long.parseLong(c.awaitOut("^REPLY DOT 250 after (\\d+) ms", CHILD).group(1));
            assertTrue(last - rcpts >= 1400, "the second RCPT came 1.5 s after the first: " + (last - rcpts) + " ms");
            c.awaitOut("^DONE", CHILD);
            Map<String, Long> t = Counters.totals(c);
            assertEquals(1, t.get("connects"), "tracked: " + t);
            assertEquals(0, t.get("reaped"));
            assertEquals(0, t.get("overdue"));
            assertEquals(1, t.get("closes"));
            assertEquals(List.of("FROM <a@client.example> TO <x@one.example>,<y@one.example>"),
                    new ArrayList<>(envelopes));
            assertEquals(0, c.exitCode(CHILD));
            slow.awaitOpen(0, Duration.ofSeconds(20));
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aPeerThatResetsDuringTheGreetingLeaksNothing(Path jdk) throws Exception {
        try (Peer reset = Peer.start(Peer.resetter(Duration.ofMillis(300)));
             ChildJvm c = client(jdk, "bannerTimeout=5s,ports=" + reset.port(), reset, "0", "0")) {
            Matcher failed = c.awaitOut("^FAILED (\\S+): (.*) after (\\d+) ms", CHILD);
            assertTrue(failed.group(1).equals("java.net.SocketException")
                    || failed.group(1).equals("java.io.EOFException"), failed.group());
            assertTrue(elapsed(failed) < 5000, "the reset, not the reaper, ended it");
            Map<String, Long> t = Counters.totals(c);
            assertEquals(0, t.get("reaped"));
            assertEquals(1, t.get("closes"));
            assertEquals(0, t.get("open"));
            assertEquals(0, t.get("awaiting"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void monitorModeClosesNothingButSaysWhatItWouldDo(Path jdk) throws Exception {
        try (Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = client(jdk, "bannerTimeout=1s,mode=monitor,ports=" + tarpit.port(), tarpit, "4000", "0")) {
            Matcher failed = c.awaitOut("^FAILED (\\S+): .* after (\\d+) ms", CHILD);
            assertEquals("java.net.SocketTimeoutException", failed.group(1), "only the host's own timeout ended it");
            assertTrue(elapsed(failed) >= 4000);
            Map<String, Long> t = Counters.totals(c);
            assertEquals(0, t.get("reaped"));
            assertEquals(1, t.get("overdue"));
            assertEquals(0, t.get("open"));
            c.exitCode(CHILD);
            assertEquals(1, c.countErr(l -> l.contains("would reap SMTP connection") && l.contains("mode=monitor")),
                    "one 'would reap' line: " + c.err());
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aSlowServiceOnAnotherPortIsLeftAlone(Path jdk) throws Exception {
        try (Peer other = Peer.start(Peer.tarpit());
             ChildJvm c = client(jdk, "bannerTimeout=1s", other, "3000", "0")) { // default SMTP ports only
            Matcher failed = c.awaitOut("^FAILED (\\S+): .* after (\\d+) ms", CHILD);
            assertEquals("java.net.SocketTimeoutException", failed.group(1));
            Map<String, Long> t = Counters.totals(c);
            assertEquals(0, t.get("connects"));
            assertEquals(0, t.get("reaped"));
        }
    }
}

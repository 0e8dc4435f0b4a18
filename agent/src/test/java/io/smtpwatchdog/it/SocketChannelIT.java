package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.ChannelClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java.nio.channels.SocketChannel} clients, in the three ways a program uses one ({@link ChannelClient}): a
 * blocking channel with scattering reads, its socket adaptor's streams, and a non-blocking channel in a selector loop
 * with a direct buffer and gathering writes. Each is reaped at the greeting deadline and at a reply deadline, so that
 * its owner notices, and a healthy session is left alone.
 */
class SocketChannelIT {
    private static final Duration CHILD = Duration.ofSeconds(90);

    static Stream<Arguments> kinds() {
        List<Arguments> out = new ArrayList<>();
        Jdks.all().forEach(jdk -> {
            for (String kind : new String[] {"blocking", "adaptor", "selector"}) {
                out.add(Arguments.of(jdk, kind));
            }
        });
        return out.stream();
    }

    private static ChildJvm client(Path jdk, String agentArgs, Peer peer, String kind) throws Exception {
        return ChildJvm.on(jdk).agent(agentArgs)
                .run(ChannelClient.class, "127.0.0.1", String.valueOf(peer.port()), kind);
    }

    private static long elapsed(Matcher m) {
        return Long.parseLong(m.group(m.groupCount()));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("kinds")
    void aTarpitIsReapedAtTheDeadlineSoThatTheOwnerNotices(Path jdk, String kind) throws Exception {
        try (Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = client(jdk, "bannerTimeout=2s,ports=" + tarpit.port(), tarpit, kind)) {
            // A blocked reader is woken by the close; a selector loop reads a 421 saying why, then the end of stream.
            if (kind.equals("selector")) {
                assertTrue(c.awaitOut("^GREETING (.*) after \\d+ ms", CHILD).group(1).startsWith(
                        "421 4.4.2 closed by smtp-watchdog: no greeting after "), c.out().toString());
            }
            Matcher ended = c.awaitOut("^(?:FAILED (\\S+): .*|EOF) after (\\d+) ms", CHILD);
            if (kind.equals("selector")) {
                assertEquals(null, ended.group(1), "the loop reads end-of-stream: " + ended.group());
            } else {
                assertEquals("java.nio.channels.AsynchronousCloseException", ended.group(1), ended.group());
            }
            long ms = elapsed(ended);
            assertTrue(ms >= 2000 && ms < 20_000, "reaped near the 2 s deadline, not after " + ms + " ms");
            Map<String, Long> t = Counters.totals(c);
            assertEquals(1, t.get("connects"), t.toString());
            assertEquals(1, t.get("reaped"), t.toString());
            assertEquals(1, t.get("reapedGreeting"), t.toString());
            assertEquals(0, t.get("open"), t.toString());
            tarpit.awaitOpen(0, Duration.ofSeconds(20)); // gone at the peer too
            assertEquals(1, c.countErr(l -> l.matches(".*reaped SMTP connection #1 to .*: no greeting after \\d+ ms "
                    + "\\(bannerTimeout 2s\\); host thread '.*' (gets an IOException|reads a 421 reply, then the end "
                    + "of the stream).*")),
                    "one reap line: " + c.err());
            assertEquals(0, c.exitCode(CHILD));
        }
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("kinds")
    void aHealthySessionIsLeftAloneAndCounted(Path jdk, String kind) throws Exception {
        Collection<String> envelopes = new ConcurrentLinkedQueue<>();
        try (Peer healthy = Peer.start(SessionPeer.late(Duration.ofMillis(600), envelopes));
             ChildJvm c = client(jdk, "bannerTimeout=2s,commandTimeout=2s,mailTimeout=2s,rcptTimeout=2s,dataTimeout=2s,"
                     + "dataEndTimeout=2s,ports=" + healthy.port(), healthy, kind)) {
            assertEquals("220", c.awaitOut("^GREETING (\\d{3})", CHILD).group(1));
            c.awaitOut("^SENT after \\d+ ms", CHILD); // every reply 0.6 s late: 4 s in all, past every deadline
            Map<String, Long> t = Counters.totals(c);
            assertEquals(1, t.get("connects"), t.toString());
            assertEquals(0, t.get("reaped"), t.toString());
            assertEquals(0, t.get("overdue"), t.toString());
            assertEquals(1, t.get("closes"), t.toString());
            assertEquals(0, t.get("open"), t.toString());
            assertEquals(1, envelopes.size(), "the message was delivered: " + envelopes);
        }
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("kinds")
    void aStallAfterTheGreetingIsReapedInItsPhase(Path jdk, String kind) throws Exception {
        try (Peer stall = Peer.start(SessionPeer.stallAt(SessionPeer.Stall.RCPT));
             ChildJvm c = client(jdk, "bannerTimeout=10s,rcptTimeout=2s,ports=" + stall.port(), stall, kind)) {
            c.awaitOut("^REPLY MAIL 250", CHILD);
            if (kind.equals("selector")) {
                c.awaitOut("^REPLY RCPT 421", CHILD); // the loop's client reads why, as the RCPT's reply
            }
            Matcher ended = c.awaitOut("^(?:FAILED (\\S+): .*|EOF) after (\\d+) ms", CHILD);
            Map<String, Long> t = Counters.totals(c);
            assertEquals(1, t.get("reapedRcpt"), t.toString());
            assertEquals(1, t.get("reaped"), t.toString());
            assertEquals(0, t.get("open"), t.toString());
            c.awaitErr("reaped SMTP connection #1 .*: no reply to RCPT after \\d+ ms \\(rcptTimeout 2s\\)", CHILD);
            stall.awaitOpen(0, Duration.ofSeconds(20));
            assertTrue(elapsed(ended) >= 2000, ended.group());
        }
    }
}

package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.CommonsNetClient;
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
 * Apache Commons Net 3.11.1, real and unmodified, in a child JVM with the real agent: {@code SMTPClient} (and a host's
 * subclass of it) and {@code SMTPSClient} with implicit TLS, against peers on ports that are not SMTP ports, so only
 * the library hook makes them tracked. Their connections are counted under the host name: the client knows no
 * recipient before it connects. Another protocol's client on the same base class is left alone.
 */
class CommonsNetIT {
    private static final Duration CHILD = Duration.ofSeconds(90);
    private static final String AGENT = "bannerTimeout=2s"; // default ports: the peers' ephemeral ports are not SMTP

    private static ChildJvm run(Path jdk, List<String> jvm, String... args) throws Exception {
        return run(AGENT, jdk, jvm, args);
    }

    private static ChildJvm run(String agent, Path jdk, List<String> jvm, String... args) throws Exception {
        return ChildJvm.on(jdk).agent(agent).classpath(MailLibs.classpath("commons-net"))
                .jvm(jvm.toArray(new String[0])).run(CommonsNetClient.class, args);
    }

    static Stream<Arguments> plainKinds() {
        return Jdks.times("plain", "subclass");
    }

    @ParameterizedTest
    @MethodSource("plainKinds")
    void aTarpitOnAnUnwatchedPortIsReapedAndConnectThrows(Path jdk, String kind) throws Exception {
        try (Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = run(jdk, List.of(), "localhost", String.valueOf(tarpit.port()), kind, "0",
                     "ann@stuck.example")) {
            reaped(c, tarpit);
        }
    }

    private static void reaped(ChildJvm c, Peer tarpit) throws Exception {
        Matcher failed = c.awaitOut("^FAILED (\\S+) .* after (\\d+) ms", CHILD);
        assertEquals("IOException", failed.group(1), "the library's own exception: " + failed.group());
        long ms = Long.parseLong(failed.group(2));
        assertTrue(ms >= 2000 && ms < 20_000, "reaped near the 2 s deadline, not after " + ms + " ms");
        assertTrue(c.awaitOut("^LIBRARIES (.*)", CHILD).group(1)
                .contains("commons-net-smtp=installed in 1 class loader"));
        Map<String, Long> t = Counters.totals(c);
        assertEquals(1, t.get("connects"));
        assertEquals(1, t.get("reaped"));
        assertEquals(1, t.get("closes"));
        assertEquals(0, t.get("open"));
        assertEquals(1, Counters.destination(c, "localhost").get("reaped"), "counted under the host name");
        assertEquals(0, c.exitCode(CHILD));
        tarpit.awaitOpen(0, Duration.ofSeconds(20));
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aHealthySessionHeldPastTheDeadlineIsNeverReaped(Path jdk) throws Exception {
        Collection<String> envelopes = new ConcurrentLinkedQueue<>();
        try (Peer smtp = Peer.start(Peer.smtp(envelopes));
             ChildJvm c = run(jdk, List.of(), "localhost", String.valueOf(smtp.port()), "plain", "3500",
                     "ann@one.example")) {
            healthy(c, smtp, envelopes);
        }
    }

    private static void healthy(ChildJvm c, Peer peer, Collection<String> envelopes) throws Exception {
        assertEquals("220", c.awaitOut("^CONNECTED (\\d+)", CHILD).group(1));
        c.awaitOut("^SENT", CHILD); // after holding the session past its deadline
        c.awaitOut("^CLOSED", CHILD);
        Map<String, Long> t = Counters.totals(c);
        assertEquals(1, t.get("connects"), "tracked: " + t);
        assertEquals(0, t.get("reaped"));
        assertEquals(0, t.get("overdue"));
        assertEquals(1, t.get("closes"));
        assertEquals(0, t.get("open"));
        assertEquals(1, Counters.destination(c, "localhost").get("connects"));
        assertEquals(List.of("FROM <sender@client.example> TO <ann@one.example>"), new ArrayList<>(envelopes));
        assertEquals(0, c.exitCode(CHILD));
        peer.awaitOpen(0, Duration.ofSeconds(20));
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aHealthyImplicitTlsSessionHeldPastTheDeadlineIsNeverReaped(Path jdk) throws Exception {
        Collection<String> envelopes = new ConcurrentLinkedQueue<>();
        try (Peer smtps = Peer.on(TestTls.serverSocket(), TestTls.smtp(envelopes));
             // A healthy TLS session's deadline must cover a cold handshake: see TransportLibraryTests.
             ChildJvm c = run(TransportLibraryTests.HEALTHY_TLS_AGENT, jdk, TestTls.trustFlags(), "localhost",
                     String.valueOf(smtps.port()), "implicit", TransportLibraryTests.HEALTHY_TLS_HOLD,
                     "ann@one.example")) {
            healthy(c, smtps, envelopes);
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aHealthyStartTlsSessionHeldPastTheDeadlineIsNeverReaped(Path jdk) throws Exception {
        // The greeting comes in clear before the handshake, so the plain deadline fits.
        Collection<String> envelopes = new ConcurrentLinkedQueue<>();
        try (Peer starttls = Peer.start(SessionPeer.smtp(envelopes, true));
             ChildJvm c = run(jdk, TestTls.trustFlags(), "localhost", String.valueOf(starttls.port()), "starttls",
                     "3500", "ann@one.example")) {
            healthy(c, starttls, envelopes);
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void anImplicitTlsTarpitThatNeverGreetsAfterTheHandshakeIsReaped(Path jdk) throws Exception {
        try (Peer tarpit = Peer.on(TestTls.serverSocket(), TestTls.silentAfterHandshake());
             ChildJvm c = run(jdk, TestTls.trustFlags(), "localhost", String.valueOf(tarpit.port()), "implicit",
                     "0", "ann@stuck.example")) {
            reaped(c, tarpit);
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.ReplyStalls#everyStall")
    void aPeerThatStallsAfterTheGreetingIsReapedNearThatPhasesDeadline(Path jdk, SessionPeer.Stall stall)
            throws Exception {
        try (Peer peer = Peer.start(SessionPeer.stallAt(stall));
             ChildJvm c = run(ReplyStalls.AGENT, jdk, TestTls.trustFlags(), "localhost", String.valueOf(peer.port()),
                     ReplyStalls.transport(stall), "0", "ann@stalled.example")) {
            // Its plain login says HELO; with STARTTLS it says EHLO.
            ReplyStalls.assertReaped(c, peer, stall, ReplyStalls.transport(stall).equals("plain"), "IOException");
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void anotherProtocolsClientIsLeftAlone(Path jdk) throws Exception {
        try (Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = run(jdk, List.of(), "localhost", String.valueOf(tarpit.port()), "pop3", "3000")) {
            Matcher failed = c.awaitOut("^FAILED IOException (\\S+)", CHILD);
            assertEquals("java.net.SocketTimeoutException:", failed.group(1), "its own timeout, not a reap");
            Map<String, Long> t = Counters.totals(c);
            assertEquals(0, t.get("connects"), "a POP3 connect is not tracked: " + t);
            assertEquals(0, t.get("reaped"));
            assertEquals(0, c.exitCode(CHILD));
        }
    }
}

package io.smtpwatchdog.it;

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
 * A JavaMail-style library, real and unmodified, in a child JVM with the real agent: {@code Transport.connect} and
 * the static {@code Transport.send}, against peers on ports that are not SMTP ports (the agent's {@code ports}
 * option is left at its default), so only the library hooks make these connections tracked. Each subclass names the
 * library's jars and its child program; every test runs on every JDK of {@link Jdks}.
 */
abstract class TransportLibraryTests {
    static final Duration CHILD = Duration.ofSeconds(90);
    /** No ports option: 25, 465, 587 and 2525 are watched, the peers' ephemeral ports are not. */
    static final String AGENT = "bannerTimeout=2s";
    /**
     * With implicit TLS the handshake is part of the greeting wait, and a JVM's first handshake on a busy two-core
     * machine has taken up to 3.9 s (seen with three builds at once): a healthy TLS session gets a deadline well above
     * that, and is held past it.
     */
    static final String HEALTHY_TLS_AGENT = "bannerTimeout=10s";
    static final String HEALTHY_TLS_HOLD = "11000";

    /** The {@code mail.libs.*} folder of the library. */
    abstract String library();

    /** The child program that drives the library. */
    abstract Class<?> client();

    /** The labels of the library's connect hook and its send hook in the agent's library states. */
    abstract String connectHook();

    abstract String sendHook();

    private ChildJvm run(Path jdk, List<String> jvm, String... args) throws Exception {
        return run(AGENT, jdk, jvm, args);
    }

    private ChildJvm run(String agent, Path jdk, List<String> jvm, String... args) throws Exception {
        return ChildJvm.on(jdk).agent(agent).classpath(MailLibs.classpath(library()))
                .jvm(jvm.toArray(new String[0])).run(client(), args);
    }

    private static String installed(ChildJvm c, String hook) throws InterruptedException {
        String states = c.awaitOut("^LIBRARIES (.*)", CHILD).group(1);
        assertTrue(states.contains(hook + "=installed in 1 class loader"), hook + " installed: " + states);
        return states;
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aTarpitOnAnUnwatchedPortIsReapedAndTransportSendThrows(Path jdk) throws Exception {
        try (Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = run(jdk, List.of(), "localhost", String.valueOf(tarpit.port()), "plain", "send",
                     "Ann <ann@stuck.example>,bob@Stuck.Example")) {
            Matcher failed = c.awaitOut("^FAILED (\\S+) .* after (\\d+) ms", CHILD);
            assertEquals("MessagingException", failed.group(1), "the library's own exception: " + failed.group());
            long ms = Long.parseLong(failed.group(2));
            assertTrue(ms >= 2000 && ms < 20_000, "reaped near the 2 s deadline, not after " + ms + " ms");
            installed(c, connectHook());
            installed(c, sendHook());
            Map<String, Long> t = Counters.totals(c);
            assertEquals(1, t.get("connects"));
            assertEquals(1, t.get("reaped"));
            assertEquals(1, t.get("closes"));
            assertEquals(0, t.get("open"));
            assertEquals(1, Counters.destination(c, "stuck.example").get("reaped"),
                    "counted under the recipients' domain");
            assertEquals(0, c.exitCode(CHILD));
            tarpit.awaitOpen(0, Duration.ofSeconds(20));
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aHealthyTransportHeldPastTheDeadlineIsNeverReaped(Path jdk) throws Exception {
        Collection<String> envelopes = new ConcurrentLinkedQueue<>();
        try (Peer smtp = Peer.start(Peer.smtp(envelopes));
             ChildJvm c = run(jdk, List.of(), "localhost", String.valueOf(smtp.port()), "plain", "hold", "3500",
                     "ann@one.example")) {
            healthy(c, smtp, envelopes);
            assertEquals(1, Counters.destination(c, "localhost").get("connects"), "counted under the host name");
        }
    }

    private static void healthy(ChildJvm c, Peer peer, Collection<String> envelopes) throws Exception {
        c.awaitOut("^CONNECTED", CHILD);
        c.awaitOut("^SENT ann@one.example", CHILD); // on the connection held past its deadline
        c.awaitOut("^CLOSED", CHILD);
        Map<String, Long> t = Counters.totals(c);
        assertEquals(1, t.get("connects"), "tracked: " + t);
        assertEquals(0, t.get("reaped"));
        assertEquals(0, t.get("overdue"));
        assertEquals(1, t.get("closes"));
        assertEquals(0, t.get("open"));
        assertEquals(List.of("FROM <sender@client.example> TO <ann@one.example>"), new ArrayList<>(envelopes));
        assertEquals(0, c.exitCode(CHILD));
        peer.awaitOpen(0, Duration.ofSeconds(20));
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void transportSendIsCountedUnderItsRecipientsDomain(Path jdk) throws Exception {
        Collection<String> envelopes = new ConcurrentLinkedQueue<>();
        try (Peer smtp = Peer.start(Peer.smtp(envelopes));
             ChildJvm c = run(jdk, List.of(), "localhost", String.valueOf(smtp.port()), "plain", "send",
                     "Ann <ann@one.example>,bob@ONE.example", "carl@one.example,dora@two.example")) {
            c.awaitOut("^SENT Ann <ann@one.example>,bob@ONE.example", CHILD);
            c.awaitOut("^SENT carl@one.example,dora@two.example", CHILD);
            Map<String, Long> t = Counters.totals(c);
            assertEquals(2, t.get("connects"));
            assertEquals(2, t.get("closes"));
            assertEquals(0, t.get("reaped"));
            assertEquals(0, t.get("open"));
            assertEquals(1, Counters.destination(c, "one.example").get("connects"), "one domain: that domain");
            assertEquals(1, Counters.destination(c, "localhost (2 recipient domains)").get("connects"),
                    "two domains: the host name, with a note");
            assertEquals(0, c.exitCode(CHILD));
            assertTrue(c.out().stream().filter(l -> l.startsWith("DEST ")).count() == 2,
                    "no other destination: " + c.out());
            assertEquals(2, envelopes.size(), envelopes.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aHealthySmtpsTransportHeldPastTheDeadlineIsNeverReaped(Path jdk) throws Exception {
        Collection<String> envelopes = new ConcurrentLinkedQueue<>();
        try (Peer smtps = Peer.on(TestTls.serverSocket(), TestTls.smtp(envelopes));
             ChildJvm c = run(HEALTHY_TLS_AGENT, jdk, TestTls.trustFlags(), "localhost", String.valueOf(smtps.port()),
                     "smtps", "hold", HEALTHY_TLS_HOLD, "ann@one.example")) {
            healthy(c, smtps, envelopes);
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aHealthyStartTlsTransportHeldPastTheDeadlineIsNeverReaped(Path jdk) throws Exception {
        // The greeting comes in clear before the handshake, so the plain deadline fits.
        Collection<String> envelopes = new ConcurrentLinkedQueue<>();
        try (Peer starttls = Peer.start(SessionPeer.smtp(envelopes, true));
             ChildJvm c = run(jdk, TestTls.trustFlags(), "localhost", String.valueOf(starttls.port()), "starttls",
                     "hold", "3500", "ann@one.example")) {
            healthy(c, starttls, envelopes);
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void anSmtpsTarpitThatNeverGreetsAfterTheHandshakeIsReaped(Path jdk) throws Exception {
        try (Peer tarpit = Peer.on(TestTls.serverSocket(), TestTls.silentAfterHandshake());
             ChildJvm c = run(jdk, TestTls.trustFlags(), "localhost", String.valueOf(tarpit.port()), "smtps", "send",
                     "ann@stuck.example")) {
            Matcher failed = c.awaitOut("^FAILED (\\S+) .* after (\\d+) ms", CHILD);
            assertEquals("MessagingException", failed.group(1), failed.group());
            long ms = Long.parseLong(failed.group(2));
            assertTrue(ms >= 2000 && ms < 20_000, "reaped near the 2 s deadline, not after " + ms + " ms");
            Map<String, Long> t = Counters.totals(c);
            assertEquals(1, t.get("connects"));
            assertEquals(1, t.get("reaped"));
            assertEquals(0, t.get("open"));
            assertEquals(1, Counters.destination(c, "stuck.example").get("reaped"));
            assertEquals(0, c.exitCode(CHILD));
            tarpit.awaitOpen(0, Duration.ofSeconds(20));
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.ReplyStalls#everyStall")
    void aPeerThatStallsAfterTheGreetingIsReapedNearThatPhasesDeadline(Path jdk, SessionPeer.Stall stall)
            throws Exception {
        try (Peer peer = Peer.start(SessionPeer.stallAt(stall));
             ChildJvm c = run(ReplyStalls.AGENT, jdk, TestTls.trustFlags(), "localhost", String.valueOf(peer.port()),
                     ReplyStalls.transport(stall), "send", "ann@stalled.example")) {
            ReplyStalls.assertReaped(c, peer, stall, false, "MessagingException");
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aPeerThatAnswersEveryCommandLateButInTimeIsNeverReaped(Path jdk) throws Exception {
        // Each reply 1.5 s late against 3 s deadlines: eight waits, each over half its deadline.
        Collection<String> envelopes = new ConcurrentLinkedQueue<>();
        try (Peer peer = Peer.start(SessionPeer.late(Duration.ofMillis(1500), envelopes));
             ChildJvm c = run(LATE_AGENT, jdk, List.of(), "localhost", String.valueOf(peer.port()), "plain", "send",
                     "ann@one.example")) {
            c.awaitOut("^SENT ann@one.example", CHILD);
            Map<String, Long> t = Counters.totals(c);
            assertEquals(0, t.get("reaped"), t.toString());
            assertEquals(0, t.get("overdue"), t.toString());
            assertEquals(1, t.get("closes"), t.toString());
            assertEquals(List.of("FROM <sender@client.example> TO <ann@one.example>"), new ArrayList<>(envelopes));
            assertEquals(0, c.exitCode(CHILD));
        }
    }

    /** Every deadline 3 s, the greeting's too. */
    static final String LATE_AGENT = "bannerTimeout=3s,commandTimeout=3s,mailTimeout=3s,rcptTimeout=3s,dataTimeout=3s,"
            + "dataEndTimeout=3s";
}

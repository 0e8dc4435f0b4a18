package io.smtpwatchdog.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * R4: the fault matrix of the earlier issues as one table. Each row is one fault, with its expected outcome, and for
 * every row the same ledger: the host's own slot counter back to zero and the agent holding none (declared slots, the
 * host leaking on every failed greeting wait), no connection open on either side. Rows share child JVMs, all rows of
 * a JVM running at once: {@link Group#FAST} with a 2 s deadline, {@link Group#GENEROUS} with 10 s for the rows whose
 * TLS handshake is part of a healthy greeting wait (a cold one took 4 s under load), and {@link Group#ATTACH}, a host
 * started without the agent that gets it from the CLI's {@code attach}. The three run side by side.
 */
class FaultMatrixIT {
    private static final String RACE_HOLD = "2000";
    private static final int RACE_CONNECTIONS = 12;
    private static final Map<String, MatrixRun> RUNS = new HashMap<>();

    enum Group { FAST, GENEROUS, ATTACH }

    /** The rows, named as in the table of docs/evidence.md. */
    enum Row {
        TARPIT("tarpit", Group.FAST),
        SLOW_DRIP("slow-drip", Group.FAST),
        SLOW_LEGAL_GREETING("slow-legal-greeting", Group.GENEROUS),
        RESET_DURING_GREETING("reset-during-greeting", Group.FAST),
        REFUSED("refused", Group.FAST),
        CONNECT_TIMEOUT("connect-timeout", Group.FAST),
        IMPLICIT_TLS_HEALTHY("implicit-tls-healthy", Group.GENEROUS),
        IMPLICIT_TLS_SILENT("implicit-tls-silent", Group.GENEROUS),
        STARTTLS_HEALTHY("starttls-healthy", Group.GENEROUS),
        IPV6_LOOPBACK("ipv6-loopback", Group.FAST),
        CLOSE_REAP_RACE("close-reap-race", Group.FAST),
        STALL_AFTER_MAIL("stall-after-mail", Group.FAST),
        STALL_AFTER_DOT("stall-after-dot", Group.FAST),
        LATE_REPLIES("late-replies", Group.FAST),
        ATTACH_AT_RUNTIME("attach-at-runtime", Group.ATTACH);

        final String label;
        final Group group;

        Row(String label, Group group) {
            this.label = label;
            this.group = group;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Arguments> rows() {
        return Jdks.times((Object[]) Row.values());
    }

    @AfterAll
    static void closeRuns() {
        RUNS.values().forEach(MatrixRun::close);
        RUNS.clear();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("rows")
    void row(Path jdk, Row row) throws Exception {
        if (row == Row.IPV6_LOOPBACK) {
            Assumptions.assumeTrue(ipv6Loopback(), "::1 cannot be bound on this machine: the IPv6 row did not run");
        }
        MatrixRun run = run(jdk, row.group);
        String r = row.label;
        String outcome = row == Row.CLOSE_REAP_RACE ? null : run.outcome(r);
        Map<String, Long> c = run.counters(r);
        switch (row) {
            case TARPIT, SLOW_DRIP, IPV6_LOOPBACK, ATTACH_AT_RUNTIME -> assertReapedNear(run, r, outcome, 2000);
            case IMPLICIT_TLS_SILENT -> assertReapedNear(run, r, outcome, 10_000);
            case SLOW_LEGAL_GREETING -> {
                assertTrue(outcome.startsWith("GREETING[220 slow but fine] QUIT[221"), outcome);
                assertTrue(MatrixRun.millis(outcome) >= 3000, "the greeting came after 3 s: " + outcome);
                assertUntouched(c);
            }
            case IMPLICIT_TLS_HEALTHY, STARTTLS_HEALTHY -> {
                assertTrue(outcome.startsWith("GREETING[220 ") && outcome.contains("QUIT[221"), outcome);
                assertTrue(MatrixRun.millis(outcome) >= 11_000, "held past the 10 s deadline: " + outcome);
                assertUntouched(c);
            }
            case RESET_DURING_GREETING -> {
                assertTrue(outcome.matches("FAILED java\\.(net\\.SocketException|io\\.EOFException): .*"), outcome);
                assertEquals(1, c.get("connects"));
                assertEquals(0, c.get("reaped"), "the reset, not the reaper, ended it: " + c);
                assertEquals(1, c.get("closes"));
                assertEquals(1, c.get("slotsRecovered"), "the slot the host leaked on the reset came back");
            }
            case REFUSED, CONNECT_TIMEOUT -> {
                String expected = row == Row.REFUSED ? "ConnectException" : "SocketTimeoutException";
                assertTrue(outcome.startsWith("CONNECT-FAILED java.net." + expected), outcome);
                assertEquals(1, c.get("failedConnects"), c.toString());
                assertEquals(0, c.get("connects"), c.toString());
                assertEquals(0, c.get("reaped"), c.toString());
                assertEquals(0, c.get("slotsRecovered"), "the host gave its slot back itself: " + c);
            }
            case CLOSE_REAP_RACE -> {
                List<String> all = run.outcomes(r);
                assertEquals(RACE_CONNECTIONS, all.size(), all.toString());
                assertTrue(all.stream().allMatch(o -> o.startsWith("FAILED java.net.SocketException")), all.toString());
                assertEquals(RACE_CONNECTIONS, c.get("connects"), c.toString());
                assertEquals(RACE_CONNECTIONS, c.get("closes"), "each closed once, by the host or the reaper: " + c);
                assertEquals(0, c.get("abandoned"), c.toString());
                assertTrue(c.get("reaped") <= RACE_CONNECTIONS, c.toString());
                assertEquals(c.get("reaped"), run.reapLines(r), "one reap line per reaped connection");
                assertEquals(RACE_CONNECTIONS, c.get("slotsRecovered"), "each leaked slot back once: " + c);
            }
            case STALL_AFTER_MAIL, STALL_AFTER_DOT -> {
                assertTrue(outcome.matches("SESSION-FAILED GREETING\\[220 .*] java\\.net\\.SocketException: .*"),
                        outcome);
                assertTrue(MatrixRun.millis(outcome) >= 2000, "not before the deadline: " + outcome);
                assertEquals(1, c.get("connects"), c.toString());
                assertEquals(1, c.get("reaped"), c.toString());
                assertEquals(1, c.get(row == Row.STALL_AFTER_MAIL ? "reapedMail" : "reapedDataEnd"), c.toString());
                assertEquals(1, c.get("closes"), c.toString());
                assertEquals(0, c.get("slotsRecovered"), "after its greeting the host gives its slot back: " + c);
                assertEquals(1, run.reapLines(r), "one reap line for " + r);
            }
            case LATE_REPLIES -> {
                assertTrue(outcome.matches("GREETING\\[220 .*] MAIL\\[250 .*] DOT\\[250 .*] QUIT\\[221 .*"), outcome);
                assertTrue(MatrixRun.millis(outcome) >= 7 * 1200, "seven replies, each 1.2 s late: " + outcome);
                assertUntouched(c);
            }
            default -> throw new AssertionError("no expectation for " + row);
        }
        run.assertNothingLeaked(r);
    }

    /** Reaped near {@code deadlineMs}, the host thread got a SocketException, and the leaked slot came back once. */
    private static void assertReapedNear(MatrixRun run, String row, String outcome, long deadlineMs)
            throws InterruptedException {
        assertTrue(outcome.matches("FAILED (java\\.net\\.SocketException|javax\\.net\\.ssl\\.\\w+): .*"), outcome);
        long ms = MatrixRun.millis(outcome);
        assertTrue(ms >= deadlineMs && ms < deadlineMs + 20_000, "reaped near the deadline, not after " + ms + " ms");
        Map<String, Long> c = run.counters(row);
        assertEquals(1, c.get("connects"), c.toString());
        assertEquals(1, c.get("reaped"), c.toString());
        assertEquals(1, c.get("closes"), c.toString());
        assertEquals(1, c.get("slotsRecovered"), "the slot the host leaked came back once: " + c);
        assertEquals(1, run.reapLines(row), "one reap line for " + row);
    }

    /** A healthy session: never reaped, never even overdue, and the host gave its slot back itself. */
    private static void assertUntouched(Map<String, Long> c) {
        assertEquals(1, c.get("connects"), c.toString());
        assertEquals(0, c.get("reaped"), c.toString());
        assertEquals(0, c.get("overdue"), c.toString());
        assertEquals(1, c.get("closes"), c.toString());
        assertEquals(0, c.get("slotsRecovered"), c.toString());
    }

    /**
     * The run of {@code group} on {@code jdk}. The first row of a JDK starts all three groups' children at once: most
     * of their time is spent waiting for deadlines and held sessions, which overlap.
     */
    private static synchronized MatrixRun run(Path jdk, Group group) throws Exception {
        if (!RUNS.containsKey(key(jdk, Group.FAST))) {
            for (Group g : new Group[] {Group.FAST, Group.GENEROUS, Group.ATTACH}) { // attach last: it waits
                MatrixRun run = new MatrixRun();
                RUNS.put(key(jdk, g), run); // before starting, so the class closes whatever was opened
                switch (g) {
                    case FAST -> startFast(run, jdk);
                    case GENEROUS -> startGenerous(run, jdk);
                    case ATTACH -> startAttached(run, jdk);
                    default -> throw new AssertionError(g);
                }
            }
        }
        MatrixRun run = RUNS.get(key(jdk, group));
        if (run == null || run.child() == null) {
            throw new AssertionError(group + " on " + jdk + " did not start: see the first failed row of this JDK");
        }
        return run;
    }

    private static String key(Path jdk, Group group) {
        return jdk + "/" + group;
    }

    private static void startFast(MatrixRun run, Path jdk) throws Exception {
        run.row("tarpit", Peer.start(Peer.tarpit()), "127.0.0.1", "plain", 0, 0, 1);
        // One byte every 200 ms defeats the host's 1 s per-read timeout; the wall-clock deadline still holds.
        run.row("slow-drip", Peer.start(Peer.drip(Duration.ofMillis(200))), "127.0.0.1", "plain", 1000, 0, 1);
        run.row("reset-during-greeting", Peer.start(Peer.resetter(Duration.ofMillis(300))), "127.0.0.1", "plain", 0,
                0, 1);
        run.row("refused", "127.0.0.1", closedPort(), "plain", 0, 0, 1);
        run.row("connect-timeout", "127.0.0.1", saturatedPort(run), "plain", 0, 0, 1);
        if (ipv6Loopback()) {
            run.row("ipv6-loopback", Peer.on(new ServerSocket(0, 50, InetAddress.getByName("::1")), Peer.tarpit()),
                    "::1", "plain", 0, 0, 1);
        }
        run.row("close-reap-race", Peer.start(Peer.tarpit()), "127.0.0.1", "race:" + RACE_HOLD, 0, 0,
                RACE_CONNECTIONS);
        run.row("stall-after-mail", Peer.start(SessionPeer.stallAt(SessionPeer.Stall.MAIL)), "127.0.0.1",
                "transaction", 0, 0, 1);
        run.row("stall-after-dot", Peer.start(SessionPeer.stallAt(SessionPeer.Stall.END_OF_DATA)), "127.0.0.1",
                "transaction", 0, 0, 1);
        // Every reply 1.2 s late, the greeting's too, against 2 s deadlines: each wait over half its deadline.
        run.row("late-replies", Peer.start(SessionPeer.late(Duration.ofMillis(1200), new java.util.concurrent.ConcurrentLinkedQueue<>())),
                "127.0.0.1", "transaction", 0, 0, 1);
        run.start(ChildJvm.on(jdk).agent("bannerTimeout=2s,slotGrace=300ms," + REPLY_DEADLINES + ","
                + MatrixRun.DECLARATIONS));
    }

    /** Every reply deadline as short as the FAST group's greeting deadline. */
    private static final String REPLY_DEADLINES = "commandTimeout=2s,mailTimeout=2s,rcptTimeout=2s,dataTimeout=2s,"
            + "dataEndTimeout=2s";

    private static void startGenerous(MatrixRun run, Path jdk) throws Exception {
        run.row("slow-legal-greeting", Peer.start(Peer.greeter("220 slow but fine\r\n", Duration.ofSeconds(3))),
                "127.0.0.1", "plain", 0, 0, 1);
        run.row("implicit-tls-healthy", Peer.on(TestTls.serverSocket(), TestTls.greeter("220 smtps.example ready\r\n")),
                "localhost", "tls-direct", 0, 11_000, 1);
        run.row("implicit-tls-silent", Peer.on(TestTls.serverSocket(), TestTls.silentAfterHandshake()), "localhost",
                "tls-layered", 0, 0, 1);
        run.row("starttls-healthy", Peer.start(StartTlsPeer.behaviour()), "localhost", "starttls", 0, 11_000, 1);
        run.start(ChildJvm.on(jdk).agent("bannerTimeout=10s,slotGrace=300ms," + MatrixRun.DECLARATIONS)
                .jvm(TestTls.trustFlags().toArray(new String[0])));
    }

    /** The host starts with no agent; the CLI attaches it, with the declarations, before the host connects. */
    private static void startAttached(MatrixRun run, Path jdk) throws Exception {
        Path trigger = Files.createTempDirectory("fault-matrix").resolve("go");
        run.row("attach-at-runtime", Peer.start(Peer.tarpit()), "127.0.0.1", "plain", 0, 0, 1);
        run.start(ChildJvm.on(jdk).noAgent().jvm("-XX:+EnableDynamicAgentLoading"), "--trigger", trigger.toString());
        run.child().awaitOut("^READY", MatrixRun.CHILD);
        String pid = String.valueOf(run.child().pid());
        String[] attached = CliIT.cli(jdk, "attach", pid, "bannerTimeout=2s,slotGrace=300ms," + MatrixRun.DECLARATIONS);
        assertEquals("0", attached[0], attached[2]);
        Files.createFile(trigger);
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort(); // closed again: nothing listens there now
        }
    }

    /** A listener that never accepts, its accept queue full: the kernel drops further SYNs on loopback. */
    private static int saturatedPort(MatrixRun run) throws Exception {
        ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        run.keep(full);
        for (int i = 0; i < 64; i++) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 300);
                run.keep(s);
            } catch (SocketTimeoutException e) {
                s.close();
                return full.getLocalPort();
            }
        }
        throw new AssertionError("could not fill the accept queue to make a connect time out");
    }

    private static boolean ipv6Loopback() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}

package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.FailingLogHost;
import io.smtpwatchdog.it.child.LimiterHost;
import io.smtpwatchdog.it.child.ThrowingTrackerHost;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * R1 (issue 6): faults inside the agent's own code never reach the host. A tracker that throws from every hook
 * (unchecked exceptions, a real stack overflow, a real out-of-memory error, a linkage error, a checked exception),
 * and a log whose stderr fails (an IOException, an unchecked exception, a real stack overflow): the host sees only
 * the exceptions of its own sockets, goes on connecting, reading and closing, and keeps delivering.
 */
class FaultInjectionIT {
    private static final Duration CHILD = Duration.ofSeconds(150);
    private static final String[] FAULTS = {"RUNTIME_EXCEPTION", "STACK_OVERFLOW", "OUT_OF_MEMORY", "LINKAGE_ERROR",
        "CHECKED_IO_EXCEPTION"};
    /** Every hook the host's work goes through: connect, read, close, TLS and the declared methods. */
    private static final String[] HOOKS = {"connect", "failedConnect", "read", "tlsRead", "layer", "close",
        "domainOf", "leaveDelivery", "acquire", "release"};
    private static final String LIMITER = LimiterHost.Limiter.class.getName();
    private static final String SLOTS = ",slotAcquire=" + LIMITER + "#acquire(java.lang.String)@0"
            + ",slotRelease=" + LIMITER + "#release(java.lang.String)@0";

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aTrackerThatThrowsFromEveryHookNeverReachesTheHost(Path jdk) throws Exception {
        int rounds = 2;
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort(); // nothing listens there once it is closed: connects are refused
        }
        try (Peer smtp = Peer.start(Peer.greeter("220 healthy.example ready\r\n", Duration.ZERO));
             Peer smtps = Peer.on(TestTls.serverSocket(), TestTls.greeter("220 tls.example ready\r\n"));
             Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = ChildJvm.on(jdk)
                     .agent("bannerTimeout=1s,ports=" + tarpit.port() + "+" + closedPort + ",delivery="
                             + ThrowingTrackerHost.class.getName()
                             + "#deliver(java.lang.String,java.lang.String,int,boolean)@0" + SLOTS)
                     .jvm(TestTls.trustFlags().toArray(new String[0]))
                     .run(ThrowingTrackerHost.class, "127.0.0.1", String.valueOf(smtp.port()),
                             String.valueOf(smtps.port()), String.valueOf(tarpit.port()), String.valueOf(closedPort),
                             String.valueOf(rounds))) {
            for (String fault : FAULTS) {
                Matcher m = c.awaitOut("^FAULT " + fault + " delivered=(\\d+) expected=(\\d+) unexpected=(\\d+)"
                        + " thrown=\\{(.*)}", CHILD);
                assertEquals(2 * rounds, Integer.parseInt(m.group(1)), fault + ": every plain and TLS delivery");
                assertEquals(2 * rounds, Integer.parseInt(m.group(2)),
                        fault + ": the refused connect and the host's own read timeout, each as the host's exception");
                assertEquals(0, Integer.parseInt(m.group(3)), fault + ": " + c.out());
                Map<String, Long> thrown = Counters.parse(m.group(4));
                for (String hook : HOOKS) {
                    assertTrue(thrown.getOrDefault(hook, 0L) > 0,
                            fault + ": the broken tracker failed in hook " + hook + " too: " + thrown);
                }
            }
            Matcher after = c.awaitOut("^AFTER (\\S+) tarpit (.*)", CHILD);
            assertEquals("delivered", after.group(1), "the real tracker back: deliveries go on");
            assertTrue(after.group(2).startsWith("reaped java.net.SocketException"),
                    "the real tracker back: the tarpit is reaped: " + after.group(2));
            assertEquals("0", c.awaitOut("^NEGATIVE (\\d+)", CHILD).group(1), "no slot was released twice");
            Map<String, Long> t = Counters.totals(c);
            assertEquals(2, t.get("connects"), "only what the real tracker saw: " + t);
            assertEquals(2, t.get("closes"));
            assertEquals(1, t.get("reaped"));
            assertEquals(0, t.get("open"));
            assertEquals(0, t.get("slotsHeld"));
            assertEquals(0, c.exitCode(CHILD));
            assertTrue(c.out().stream().noneMatch(l -> l.startsWith("UNEXPECTED") || l.startsWith("UNCAUGHT")),
                    c.out().toString());
            assertTrue(c.err().stream().noneMatch(l -> l.contains("injected") || l.contains("Injected")),
                    "no injected fault was printed anywhere: " + c.err());
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aLogWhoseStderrFailsNeverReachesTheHost(Path jdk) throws Exception {
        List<String> relays = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            relays.add(FailingLogHost.class.getName() + "$Relay" + i
                    + "#deliver(java.lang.String,java.lang.String,int)@0");
        }
        try (Peer smtp = Peer.start(Peer.greeter("220 healthy.example ready\r\n", Duration.ZERO));
             Peer tarpit = Peer.start(Peer.tarpit());
             // No ports option: the declared relays make these connections SMTP.
             ChildJvm c = ChildJvm.on(jdk)
                     .agent("bannerTimeout=1s,slotGrace=300ms,delivery=" + String.join(" ", relays) + SLOTS)
                     .run(FailingLogHost.class, "127.0.0.1", String.valueOf(smtp.port()),
                             String.valueOf(tarpit.port()))) {
            for (String sink : new String[] {"IO_EXCEPTION", "RUNTIME_EXCEPTION", "STACK_OVERFLOW"}) {
                Matcher m = c.awaitOut("^SINK " + sink + " healthy=(\\S+) tarpit=(.*) failedWrites=(\\d+)", CHILD);
                assertEquals("delivered", m.group(1), sink);
                assertTrue(m.group(2).startsWith("reaped"), sink + ": the tarpit was reaped: " + m.group(2));
                // At least the relay's hook, the reap and the slot given back were logged into the broken stderr.
                assertTrue(Long.parseLong(m.group(3)) >= 3, sink + ": the log really failed: " + m.group());
            }
            assertTrue(c.awaitOut("^AFTER tarpit=(.*) limiter=", CHILD).group(1).startsWith("reaped"));
            Map<String, Long> t = Counters.totals(c);
            assertEquals(7, t.get("connects"), "three healthy deliveries and four tarpits");
            assertEquals(7, t.get("closes"));
            assertEquals(4, t.get("reaped"));
            assertEquals(4, t.get("slotsRecovered"), "every leaked slot given back, though the log could not say so");
            assertEquals(0, t.get("slotsHeld"));
            assertEquals(0, t.get("open"));
            assertEquals(0, c.exitCode(CHILD));
            for (int i = 0; i < 3; i++) {
                assertEquals(1, Counters.destination(c, "healthy" + i + ".example").get("closes"),
                        "relay " + i + " was hooked while the log failed");
            }
            assertTrue(c.out().stream().noneMatch(l -> l.startsWith("UNEXPECTED") || l.startsWith("UNCAUGHT")),
                    c.out().toString());
            // Only the last reap and slot reached the real stderr: the three before really went into broken ones.
            assertEquals(1, c.countErr(l -> l.contains("reaped SMTP connection")), c.err().toString());
            assertEquals(1, c.countErr(l -> l.contains("gave back a slot")), c.err().toString());
            assertEquals(1, c.countErr(l -> l.contains("Relay3#deliver") && l.contains("installed in")));
            assertEquals(0, c.countErr(l -> l.contains("Relay0#deliver") && l.contains("installed in")));
        }
    }
}

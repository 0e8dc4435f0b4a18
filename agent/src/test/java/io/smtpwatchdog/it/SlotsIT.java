package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.LimiterHost;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Declared slots under concurrency: 16 threads deliver to four domains through a host's own limiter, half to a
 * tarpit; every slot the host leaks on a reaped connection comes back exactly once, and every counter is exact.
 */
class SlotsIT {
    private static final Duration CHILD = Duration.ofSeconds(150);
    private static final String LIMITER = LimiterHost.Limiter.class.getName();
    private static final String DECLARATIONS = "delivery=" + LimiterHost.class.getName()
            + "#deliver(java.lang.String,java.lang.String,int)@0"
            + ",slotAcquire=" + LIMITER + "#acquire(java.lang.String)@0"
            + ",slotRelease=" + LIMITER + "#release(java.lang.String)@0";

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void everyLeakedSlotComesBackOnceAndTheCountersAreExact(Path jdk) throws Exception {
        int threads = 16;
        int perThread = 5;
        try (Peer healthy = Peer.start(Peer.greeter("220 ok\r\n", Duration.ZERO));
             Peer tarpit = Peer.start(Peer.tarpit());
             // No ports option: only the declared delivery method makes these connections SMTP.
             ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=1s,slotGrace=300ms," + DECLARATIONS)
                     .run(LimiterHost.class, "127.0.0.1", String.valueOf(healthy.port()),
                             String.valueOf(tarpit.port()), String.valueOf(threads), String.valueOf(perThread))) {
            Matcher done = c.awaitOut("^DELIVERED (\\d+) FAILED (\\d+)", CHILD);
            int delivered = Integer.parseInt(done.group(1));
            int failed = Integer.parseInt(done.group(2));
            assertEquals(threads * perThread, delivered + failed);
            assertTrue(failed > 0 && delivered > 0, "both kinds of peer were used: " + done.group());
            assertEquals("0", c.awaitOut("^NEGATIVE (\\d+)", CHILD).group(1), "no slot was released twice");
            String limiter = c.awaitOut("^LIMITER (.*)", CHILD).group(1);
            assertTrue(Counters.parse(limiter).values().stream().allMatch(v -> v == 0),
                    "the host's own limiter is back to zero everywhere: " + limiter);
            Map<String, Long> t = Counters.totals(c);
            assertEquals(threads * perThread, t.get("connects"));
            assertEquals(t.get("connects"), t.get("closes"), "connects = closes");
            assertEquals(0, t.get("open"));
            assertEquals(0, t.get("slotsHeld"));
            assertEquals(failed, t.get("reaped"), "every failed delivery was a reaped tarpit connection");
            assertEquals(failed, t.get("slotsRecovered"), "one slot given back per leak, never twice");
            assertEquals(0, c.exitCode(CHILD)); // every DEST line is in once the child has exited
            for (String domain : new String[] {"a.example", "b.example", "c.example", "d.example"}) {
                assertTrue(c.out().stream().anyMatch(l -> l.startsWith("DEST " + domain + " ")),
                        "connections counted under the recipient domain " + domain + ": " + c.out());
            }
        }
    }

    /**
     * Monitor mode is a dry run: a slot the host leaks (here on a peer that resets during the greeting) is reported
     * once as "would give back", and neither given back nor counted recovered; the host's own counter keeps the leak.
     */
    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void inMonitorModeALeakedSlotIsReportedAndNotGivenBack(Path jdk) throws Exception {
        try (Peer healthy = Peer.start(Peer.greeter("220 ok\r\n", Duration.ZERO));
             Peer resetting = Peer.start(Peer.resetter(Duration.ofMillis(100)));
             ChildJvm c = ChildJvm.on(jdk).agent("mode=monitor,bannerTimeout=1s,slotGrace=300ms," + DECLARATIONS)
                     .run(LimiterHost.class, "127.0.0.1", String.valueOf(healthy.port()),
                             String.valueOf(resetting.port()), "4", "3", "1500", "100")) {
            Matcher done = c.awaitOut("^DELIVERED (\\d+) FAILED (\\d+)", CHILD);
            int failed = Integer.parseInt(done.group(2));
            assertTrue(failed > 0, "some deliveries met the resetting peer: " + done.group());
            String limiter = c.awaitOut("^LIMITER (.*)", CHILD).group(1);
            long held = java.util.regex.Pattern.compile("=(\\d+)").matcher(limiter).results()
                    .mapToLong(m -> Long.parseLong(m.group(1))).sum(); // the keys hold dots: no Counters.parse
            assertEquals(failed, held, "the host's own counter keeps every leak: " + limiter);
            Map<String, Long> t = Counters.totals(c);
            assertEquals(0, t.get("slotsRecovered"), t.toString());
            assertEquals(failed, t.get("slotsHeld"), "the agent knows them held: " + t);
            assertEquals(0, c.exitCode(CHILD));
            assertEquals(failed, c.countErr(l -> l.contains("would give back a slot of ")
                    && l.endsWith("not called: mode=monitor")), "each reported once: " + c.err());
            assertEquals(0, c.countErr(l -> l.contains("gave back a slot")), c.err().toString());
        }
    }
}

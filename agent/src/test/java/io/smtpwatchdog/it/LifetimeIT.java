package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.AbandonClient;
import io.smtpwatchdog.it.child.RaceClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every connection ends exactly once: raced closes and reaps, and sockets the host drops without closing. */
class LifetimeIT {
    private static final Duration CHILD = Duration.ofSeconds(120);

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aCloseRacingAReapIsCountedOnce(Path jdk) throws Exception {
        int n = 40;
        try (Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=2s,ports=" + tarpit.port())
                     .run(RaceClient.class, "127.0.0.1", String.valueOf(tarpit.port()), String.valueOf(n), "2000")) {
            c.awaitOut("^DONE " + n, CHILD);
            Map<String, Long> t = Counters.totals(c);
            assertEquals(n, t.get("connects"));
            assertEquals(n, t.get("closes"), "each connection closed once, by the host or by the reaper");
            assertEquals(0, t.get("open"));
            assertEquals(0, t.get("awaiting"));
            assertEquals(0, t.get("abandoned"));
            assertTrue(t.get("reaped") <= n);
            assertTrue(c.out().stream().noneMatch(l -> l.startsWith("UNEXPECTED")), c.out().toString());
            tarpit.awaitOpen(0, Duration.ofSeconds(20));
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void socketsDroppedWithoutCloseAreCountedAsAbandoned(Path jdk) throws Exception {
        int n = 20;
        try (Peer greeter = Peer.start(Peer.greeter("220 hi\r\n", Duration.ZERO));
             Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=5m,ports=" + greeter.port() + "+" + tarpit.port())
                     .run(AbandonClient.class, "127.0.0.1", String.valueOf(greeter.port()),
                             String.valueOf(tarpit.port()), String.valueOf(n))) {
            Map<String, Long> t = Counters.totals(c);
            assertEquals(2L * n, t.get("connects"));
            assertEquals(2L * n, t.get("abandoned"), "every dropped socket found by the garbage collector");
            assertEquals(0, t.get("closes"));
            assertEquals(0, t.get("open"));
            assertEquals(0, t.get("awaiting"));
            assertEquals(0, t.get("inSession"));
        }
    }
}

package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.AbandonSoak;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * R2 (issue 6): a host that connects sockets to an SMTP peer and drops them without closing leaves nothing behind in
 * the agent: every one is counted abandoned once the collector takes it, nothing stays tracked, and the heap after GC
 * does not grow with the number dropped.
 *
 * <p>20,000 sockets by default, so CI stays quick; the full soak is {@code -Dsoak=true} (1,000,000 sockets) or any
 * size with {@code -Dr2.sockets=N}. Loopback connects reuse the client's TIME_WAIT ports ({@code tcp_tw_reuse=2}, the
 * Linux default), so a million connects fit in the 28,000 ephemeral ports.
 */
class AbandonedSocketsIT {
    private static final int CI_SOCKETS = 20_000;
    private static final int SOAK_SOCKETS = 1_000_000;
    private static final int BATCH = 2_000;
    /** Heap after GC may grow this much from the checkpoint to the end; a Conn kept per socket is 100+ bytes. */
    private static final long HEAP_MARGIN = 2L * 1024 * 1024;

    static int sockets() {
        return Integer.getInteger("r2.sockets", Boolean.getBoolean("soak") ? SOAK_SOCKETS : CI_SOCKETS);
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void droppedSocketsAreAllCountedAbandonedAndTheHeapStaysFlat(Path jdk) throws Exception {
        int n = sockets();
        Duration child = Duration.ofSeconds(120 + n / 500);
        try (ManyConnectionsPeer peer = ManyConnectionsPeer.start();
             ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=5m,ports=" + peer.port())
                     .run(AbandonSoak.class, "127.0.0.1", String.valueOf(peer.port()), String.valueOf(n),
                             String.valueOf(BATCH))) {
            Matcher soak = c.awaitOut("^SOAK sockets=(\\d+) ms=(\\d+) firstHeap=(\\d+) endHeap=(\\d+)"
                    + " fdsBefore=(\\d+) fdsAfter=(\\d+)", child);
            Map<String, Long> t = Counters.totals(c);
            assertEquals(n, t.get("connects"));
            assertEquals(n, t.get("abandoned"), "every dropped socket counted abandoned once");
            assertEquals(0, t.get("open"), "nothing tracked once the collector has them all");
            assertEquals(0, t.get("awaiting"));
            assertEquals(0, t.get("inSession"));
            assertEquals(0, t.get("closes"));
            assertEquals(0, t.get("reaped"));
            long firstHeap = Long.parseLong(soak.group(3));
            long endHeap = Long.parseLong(soak.group(4));
            assertTrue(endHeap <= firstHeap + HEAP_MARGIN, "heap after GC grew from " + firstHeap + " bytes at the "
                    + "first checkpoint to " + endHeap + " after " + n + " dropped sockets");
            int fdsBefore = Integer.parseInt(soak.group(5));
            int fdsAfter = Integer.parseInt(soak.group(6));
            assertTrue(fdsAfter <= fdsBefore + 10, "file descriptors " + fdsBefore + " before, " + fdsAfter + " after");
            assertEquals(n, peer.accepted());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (peer.open() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, peer.open(), "the peer saw every dropped connection end");
            System.out.println("R2 " + jdk.getFileName() + ": " + soak.group());
        }
    }
}

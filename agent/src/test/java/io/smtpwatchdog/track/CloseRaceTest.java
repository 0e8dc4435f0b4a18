package io.smtpwatchdog.track;

import io.smtpwatchdog.reap.Reaper;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hunts the lost close of the issue "Operator-ready" (a JmxIT run once ended with a connection still open after its
 * host had closed it, an operator having aborted it first): the same connections closed by their host, closed by an
 * operator (the abort, then its close hook, as the instrumented close would fire it), reaped by the real reaper (a
 * 1 ms greeting deadline), greeted meanwhile, or dropped without any close, all racing on several threads. After every
 * round the ledger must hold for each destination and the totals: {@code connects = closes + abandoned + open}, and
 * nothing open, awaiting or in session once everything has ended. 200,000 connections in CI; {@code -Dsoak=true}
 * runs 1,000,000.
 */
class CloseRaceTest {
    private static final int PER_ROUND = 1000;
    private static final int ROUNDS = Boolean.getBoolean("soak") ? 1000 : 200;
    private static final String[] DOMAINS = {"d0.example", "d1.example", "d2.example", "d3.example"};
    private static final byte[] GREETING = "220 ok\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void closesRacingOperatorClosesReapsAndAbandonmentLoseNoConnection() throws Exception {
        Tracker tracker = new Tracker(new Policy(new int[] {25}, 1, true), 100);
        Reaper reaper = new Reaper(tracker);
        reaper.start();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                race(tracker, reaper, pool, round);
                assertLedgerAtRest(tracker, round);
            }
            Map<String, Long> t = tracker.totals();
            assertEquals((long) ROUNDS * PER_ROUND, t.get("connects"), t.toString());
            assertTrue(t.get("reaped") > 0 && t.get("abandoned") > 0, "every kind of end happened: " + t);
        } finally {
            pool.shutdownNow();
            reaper.stop();
        }
    }

    private static void race(Tracker tracker, Reaper reaper, ExecutorService pool, int round) throws Exception {
        CountDownLatch done = new CountDownLatch(PER_ROUND);
        for (int i = 0; i < PER_ROUND; i++) {
            Socket s = new Socket();
            InetSocketAddress remote = InetSocketAddress.createUnresolved(DOMAINS[i % DOMAINS.length], 25);
            tracker.onConnect(s, remote, null);
            int kind = i % 10;
            if (kind == 9) {
                done.countDown(); // dropped: nobody closes it, the collector must find it
                continue;
            }
            Conn c = tracker.connectionOf(s);
            pool.execute(() -> {
                try {
                    if (kind % 2 == 0) {
                        tracker.onRead(s, GREETING, 0, GREETING.length, false); // greeted, maybe after a reap
                    }
                    if (kind % 3 == 0 && c != null) {
                        pool.execute(() -> {
                            reaper.closeNow(c); // the operator, on another thread
                            tracker.onClose(s); // its abort's close hook
                        });
                    }
                    if (ThreadLocalRandom.current().nextBoolean()) {
                        Thread.yield(); // let the reaper's 1 ms deadline win sometimes
                    }
                    s.close();
                    tracker.onClose(s); // the host's close hook
                } catch (Exception e) {
                    throw new AssertionError(e);
                } finally {
                    done.countDown();
                }
            });
        }
        assertTrue(done.await(60, TimeUnit.SECONDS), "round " + round + " finished");
    }

    private static void assertLedgerAtRest(Tracker tracker, int round) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Map<String, Long> t = tracker.totals();
            boolean rest = t.get("open") == 0 && t.get("connects") == t.get("closes") + t.get("abandoned");
            if (rest) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("round " + round + ": not at rest after 30 s: " + t + "; live "
                        + describe(tracker.views().live()));
            }
            System.gc(); // the dropped sockets end as abandoned once collected
            Thread.sleep(20);
        }
        for (Map.Entry<String, Map<String, Long>> e : tracker.destinations().entrySet()) {
            Map<String, Long> d = e.getValue();
            assertEquals(d.get("connects"), d.get("closes") + d.get("abandoned") + d.get("open"),
                    "round " + round + ", " + e.getKey() + ": " + d);
            assertEquals(0, d.get("open"), "round " + round + ", " + e.getKey() + ": " + d);
            assertEquals(0, d.get("awaiting"), "round " + round + ", " + e.getKey() + ": " + d);
            assertEquals(0, d.get("inSession"), "round " + round + ", " + e.getKey() + ": " + d);
        }
    }

    private static String describe(List<Conn> live) {
        List<String> out = new ArrayList<>();
        for (Conn c : live) {
            out.add("#" + c.id() + " " + c.stateName());
        }
        return out.toString();
    }
}

package io.smtpwatchdog.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bounded hand-off between a logging thread and the one thread that prints: it never waits, never grows. */
class LineHandoffTest {
    private static final Duration BOUND = Duration.ofSeconds(20);

    /** A stderr that records each line, and, until released, holds the printing thread inside print. */
    static final class HeldStderr extends PrintStream {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release;

        HeldStderr(boolean held) {
            super(OutputStream.nullOutputStream());
            release = new CountDownLatch(held ? 1 : 0);
        }

        @Override
        public void print(String s) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lines.add(s);
        }
    }

    @Test
    void aFullQueueDropsAndCountsWithoutWaitingAndKeepsTheOrderOfWhatItTook() throws Exception {
        LineHandoff handoff = new LineHandoff(4, "test-log-full", 100);
        HeldStderr held = new HeldStderr(true);
        try {
            long before = AgentLog.failedWrites();
            assertTrue(handoff.offer(held, "line 0"));
            assertTrue(held.entered.await(BOUND.toSeconds(), TimeUnit.SECONDS), "the printing thread took line 0");
            assertTimeoutPreemptively(BOUND, () -> {
                for (int i = 1; i < 10; i++) {
                    assertTrue(handoff.offer(held, "line " + i), "handled, queued or dropped: never refused");
                }
            }, "an offer to a blocked stderr never waits");
            assertEquals(4, handoff.pending(), "line 0 being printed and three queued: the capacity");
            assertEquals(before + 6, AgentLog.failedWrites(), "lines 4 to 9 dropped, each counted");
            assertFalse(handoff.drain(50), "a drain gives up on a blocked stderr");
        } finally {
            held.release.countDown();
        }
        assertTrue(handoff.drain(BOUND.toMillis()));
        assertEquals(List.of("line 0", "line 1", "line 2", "line 3"), held.lines);
    }

    @Test
    void linesOfEachThreadArePrintedInTheOrderTheyWereLogged() throws Exception {
        LineHandoff handoff = new LineHandoff(1024, "test-log-order", 100);
        HeldStderr sink = new HeldStderr(false);
        long before = AgentLog.failedWrites();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String name = "t" + t;
            threads.add(new Thread(() -> {
                for (int n = 0; n < 200; n++) {
                    handoff.offer(sink, name + " " + n);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(BOUND.toMillis());
        }
        assertTrue(handoff.drain(BOUND.toMillis()));
        assertEquals(800, sink.lines.size(), "nothing dropped below the capacity");
        assertEquals(before, AgentLog.failedWrites());
        for (int t = 0; t < 4; t++) {
            String prefix = "t" + t + " ";
            List<Integer> seen = sink.lines.stream().filter(l -> l.startsWith(prefix))
                    .map(l -> Integer.parseInt(l.substring(prefix.length()))).toList();
            assertEquals(200, seen.size());
            for (int n = 0; n < 200; n++) {
                assertEquals(n, seen.get(n), prefix + "in order");
            }
        }
    }

    @Test
    void theWriterOutlivesAStderrThatThrowsOrLogsBack() throws Exception {
        LineHandoff handoff = new LineHandoff(16, "test-log-hostile", 100);
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LineHandoffTest.class);
        PrintStream throwing = new FailedWritesTest.ThrowingPrintStream();
        PrintStream loggingBack = new PrintStream(OutputStream.nullOutputStream()) {
            @Override
            public void print(String s) {
                log.warn("stderr wrote {}", s); // on the printing thread: dropped, not recursed into
            }
        };
        HeldStderr sink = new HeldStderr(false);
        long before = AgentLog.failedWrites();
        handoff.offer(throwing, "lost 1");
        handoff.offer(loggingBack, "printed, then logs back");
        handoff.offer(sink, "found");
        assertTrue(handoff.drain(BOUND.toMillis()));
        assertEquals(List.of("found"), sink.lines);
        assertEquals(before + 2, AgentLog.failedWrites(), "the throw, and the line logged from inside print");
    }
}

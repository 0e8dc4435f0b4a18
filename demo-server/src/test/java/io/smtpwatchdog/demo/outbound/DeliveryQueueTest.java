package io.smtpwatchdog.demo.outbound;

import io.smtpwatchdog.demo.smtp.Envelope;
import io.smtpwatchdog.demo.spool.Spool;
import io.smtpwatchdog.demo.spool.SpooledMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryQueueTest {
    @TempDir
    Path dir;
    private Spool spool;
    private final ConnectionLimiter limiter = new ConnectionLimiter(2);
    private final DeliveryQueue queue = new DeliveryQueue(limiter);

    @BeforeEach
    void openSpool() throws IOException {
        spool = new Spool(dir);
    }

    private SpooledMessage message(String domain) throws IOException {
        return spool.store(new Envelope("a@example.org", List.of("user@" + domain)), new byte[0]);
    }

    private DeliveryTask take() throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).get(20, TimeUnit.SECONDS);
    }

    @Test
    void servesOldestFirstAndPassesOverADomainAtItsLimit() throws Exception {
        DeliveryTask t1 = DeliveryTask.now(message("tarpit.example"), "tarpit.example");
        DeliveryTask t2 = DeliveryTask.now(message("tarpit.example"), "tarpit.example");
        DeliveryTask t3 = DeliveryTask.now(message("tarpit.example"), "tarpit.example");
        DeliveryTask g1 = DeliveryTask.now(message("good.example"), "good.example");
        // Added out of order on purpose: age decides, not arrival in the queue.
        queue.add(g1);
        queue.add(t3);
        queue.add(t1);
        queue.add(t2);
        assertEquals(3, queue.queued("tarpit.example"));

        assertSame(t1, take());
        assertSame(t2, take());
        assertSame(g1, take(), "tarpit.example is at its limit, so the worker moves on");
        assertEquals(2, limiter.inUse("tarpit.example"));
        assertEquals(1, limiter.inUse("good.example"));
        assertEquals(1, queue.queued("tarpit.example"));
        assertEquals(0, queue.queued("good.example"));
    }

    @Test
    void aReleasedSlotWakesAWaitingWorker() throws Exception {
        queue.add(DeliveryTask.now(message("tarpit.example"), "tarpit.example"));
        limiter.acquire("tarpit.example");
        limiter.acquire("tarpit.example");
        CompletableFuture<DeliveryTask> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThrows(TimeoutException.class, () -> waiting.get(300, TimeUnit.MILLISECONDS));
        limiter.release("tarpit.example");
        assertEquals("tarpit.example", waiting.get(20, TimeUnit.SECONDS).domain());
    }

    @Test
    void aTaskInBackoffWaitsUntilItIsDue() throws Exception {
        long due = System.nanoTime() + Duration.ofMillis(300).toNanos();
        queue.add(new DeliveryTask(message("good.example"), "good.example", due));
        DeliveryTask task = take();
        assertTrue(System.nanoTime() - due >= 0, "taken before it was due");
        assertEquals("good.example", task.domain());
    }

    @Test
    void closingReleasesWaitingWorkers() throws Exception {
        CompletableFuture<DeliveryTask> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        queue.close();
        assertNull(waiting.get(20, TimeUnit.SECONDS));
    }
}

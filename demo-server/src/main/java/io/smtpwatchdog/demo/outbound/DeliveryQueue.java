package io.smtpwatchdog.demo.outbound;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The per-domain queues of the relay, served oldest message first.
 *
 * <p>A worker takes the oldest task that is due and whose domain has a free connection slot; a domain at its
 * limit is passed over, not waited on, so one slow domain cannot hold up the others as long as there are
 * free workers. (With the defective client there are none: both workers sit in the tarpit's greeting.)
 */
public final class DeliveryQueue {
    private final ConnectionLimiter limiter;
    private final TreeSet<DeliveryTask> tasks = new TreeSet<>(DeliveryTask.OLDEST_FIRST);
    private final Map<String, Integer> queued = new HashMap<>();
    private boolean closed;

    /** A queue whose workers take connection slots from {@code limiter}. */
    public DeliveryQueue(ConnectionLimiter limiter) {
        this.limiter = limiter;
        limiter.onRelease(this::wake);
    }

    /** Queues a task and wakes a worker. */
    public synchronized void add(DeliveryTask task) {
        tasks.add(task);
        queued.merge(task.domain(), 1, Integer::sum);
        notifyAll();
    }

    /**
     * Waits for a task that is due and whose domain gave a connection slot. The caller owns that slot and
     * must see that it is released.
     *
     * @return the task, or {@code null} once the queue is closed
     */
    public synchronized DeliveryTask take() throws InterruptedException {
        while (!closed) {
            long now = System.nanoTime();
            long nextDue = Long.MAX_VALUE;
            Set<String> full = new HashSet<>();
            for (DeliveryTask task : tasks) {
                if (task.notBefore() - now > 0) {
                    nextDue = Math.min(nextDue, task.notBefore() - now);
                } else if (!full.contains(task.domain())) {
                    if (limiter.acquire(task.domain())) {
                        tasks.remove(task);
                        queued.merge(task.domain(), -1, Integer::sum);
                        return task;
                    }
                    full.add(task.domain());
                }
            }
            if (nextDue == Long.MAX_VALUE) {
                wait();
            } else {
                long millis = nextDue / 1_000_000;
                wait(millis, (int) (nextDue % 1_000_000));
            }
        }
        return null;
    }

    /** Tasks waiting for {@code domain}, not counting those being delivered. */
    public synchronized int queued(String domain) {
        return queued.getOrDefault(domain, 0);
    }

    /** Every domain that ever had a task queued. */
    public synchronized Set<String> domains() {
        return new HashSet<>(queued.keySet());
    }

    /** Makes {@link #take()} return {@code null} to every worker. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    private synchronized void wake() {
        notifyAll();
    }
}

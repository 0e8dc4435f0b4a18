package io.smtpwatchdog.track;

import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connections still waiting for their greeting, ordered by deadline, so the reaper never scans every connection.
 *
 * <p>Almost every connection is greeted within milliseconds, long before its deadline. Sorting each one on connect
 * and unsorting it on its greeting was most of what tracking cost a relay's delivery threads (BENCHMARKS.md, P3): a
 * skip list insert and remove, with their allocations, compares and counter updates, on the host's thread. So a
 * connect only queues its connection ({@link #add}: one node, one CAS) and lowers {@link #earliestArrival}; the
 * reaper, at each look, sorts what is still waiting ({@link #sort}) and drops what was greeted meanwhile without
 * ever having been sorted. A greeting then removes nothing unless the reaper already sorted that connection.
 *
 * <p>The reaper's wake-up time covers both: the first sorted deadline and the earliest deadline queued since its last
 * look. Lock-free, because connecting threads add.
 */
final class Deadlines {
    private final ConcurrentSkipListSet<Conn> byDeadline = new ConcurrentSkipListSet<Conn>();
    private final ConcurrentLinkedQueue<Conn> arrivals = new ConcurrentLinkedQueue<Conn>();
    /** The earliest deadline queued since the reaper's last sort; may be stale-early, never late. */
    private final AtomicLong earliestArrival = new AtomicLong(Long.MAX_VALUE);

    /** Queues {@code c}, on the connecting thread. */
    void add(Conn c) {
        arrivals.offer(c);
        long d = c.deadlineNanos;
        for (long e; d - (e = earliestArrival.get()) < 0 || e == Long.MAX_VALUE; ) {
            if (earliestArrival.compareAndSet(e, d)) {
                break;
            }
        }
    }

    /** Takes {@code c} out of line: its greeting arrived, it ended, or its deadline changes. */
    void remove(Conn c) {
        if (c.sorted) {
            byDeadline.remove(c);
        }
    }

    /**
     * Sorts the connections queued since the last call that still await their greeting. Reaper thread only. The
     * earliest arrival is reset first: a connect that lands meanwhile lowers it again, and one already sorted leaves
     * it early, which only wakes the reaper once for nothing.
     */
    void sort() {
        earliestArrival.set(Long.MAX_VALUE);
        for (Conn c; (c = arrivals.poll()) != null; ) {
            if (c.state() != Conn.AWAITING) {
                continue; // greeted or ended before it was ever sorted: nothing to undo
            }
            c.sorted = true;
            byDeadline.add(c);
            if (c.state() != Conn.AWAITING) {
                byDeadline.remove(c); // greeted a moment ago, and its remove may not have seen it sorted
            }
        }
    }

    /** The earliest deadline, sorted or queued, in {@link System#nanoTime()} terms, or {@code Long.MAX_VALUE}. */
    long earliest() {
        long queued = earliestArrival.get();
        Conn first = first();
        if (first == null) {
            return queued;
        }
        return queued == Long.MAX_VALUE || first.deadlineNanos - queued < 0 ? first.deadlineNanos : queued;
    }

    private Conn first() {
        try {
            return byDeadline.isEmpty() ? null : byDeadline.first();
        } catch (NoSuchElementException raced) {
            return null;
        }
    }

    /** Removes and returns the first sorted connection due at {@code nowNanos}, or null. Call {@link #sort} first. */
    Conn pollDue(long nowNanos) {
        while (true) {
            Conn c = first();
            if (c == null || c.deadlineNanos - nowNanos > 0) {
                return null;
            }
            if (byDeadline.remove(c)) {
                c.sorted = false;
                return c;
            }
            // greeted or closed between first() and remove(): look again
        }
    }
}

package io.smtpwatchdog.track;

import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The connections still waiting for their greeting, ordered by deadline: O(log n) to add or remove, O(1) to find the
 * next one due, so the reaper never scans every connection. Lock-free, because connecting threads add to it.
 */
final class Deadlines {
    private final ConcurrentSkipListSet<Conn> byDeadline = new ConcurrentSkipListSet<Conn>();

    /** Adds {@code c}; true if it is now the first one due, so the reaper must look again. */
    boolean add(Conn c) {
        byDeadline.add(c);
        return first() == c;
    }

    void remove(Conn c) {
        byDeadline.remove(c);
    }

    Conn first() {
        try {
            return byDeadline.isEmpty() ? null : byDeadline.first();
        } catch (NoSuchElementException raced) {
            return null;
        }
    }

    /** Removes and returns the first connection due at {@code nowNanos}, or null. */
    Conn pollDue(long nowNanos) {
        while (true) {
            Conn c = first();
            if (c == null || c.deadlineNanos - nowNanos > 0) {
                return null;
            }
            if (byDeadline.remove(c)) {
                return c;
            }
            // greeted or closed between first() and remove(): look again
        }
    }

    int size() {
        return byDeadline.size();
    }
}

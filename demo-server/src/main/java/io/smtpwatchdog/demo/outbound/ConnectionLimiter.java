package io.smtpwatchdog.demo.outbound;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Caps the simultaneous outbound connections per recipient domain, as MTAs do so as not to hammer a remote
 * host. A slot is taken before connecting and must be given back when the session ends; a slot that is never
 * given back is lost to that domain until restart, which is exactly what DEFECT 2 in {@link OutboundClient}
 * does.
 *
 * <p>{@link #acquire(String)} and {@link #release(String)} keep their names and signatures: the SMTP Watchdog
 * agent finds and calls them by name.
 */
public final class ConnectionLimiter {
    private final int limit;
    private final Map<String, Integer> inUse = new HashMap<>();
    private final List<Runnable> releaseListeners = new CopyOnWriteArrayList<>();

    /** A limiter allowing {@code limit} connections per domain. */
    public ConnectionLimiter(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        this.limit = limit;
    }

    /**
     * Takes a slot for {@code domain} if one is free. Never blocks: a worker that gets {@code false} leaves
     * that domain's mail queued and looks for work elsewhere.
     *
     * @return whether a slot was taken
     */
    public boolean acquire(String domain) {
        String key = key(domain);
        synchronized (this) {
            int used = inUse.getOrDefault(key, 0);
            if (used >= limit) {
                return false;
            }
            inUse.put(key, used + 1);
            return true;
        }
    }

    /** Gives back a slot for {@code domain}. Giving back more than was taken is ignored. */
    public void release(String domain) {
        String key = key(domain);
        synchronized (this) {
            int used = inUse.getOrDefault(key, 0);
            if (used <= 1) {
                inUse.remove(key);
            } else {
                inUse.put(key, used - 1);
            }
        }
        // Outside the lock: listeners take their own locks, and must not do so while holding this one.
        for (Runnable listener : releaseListeners) {
            listener.run();
        }
    }

    /** Slots of {@code domain} taken now. */
    public synchronized int inUse(String domain) {
        return inUse.getOrDefault(key(domain), 0);
    }

    /** Slots per domain. */
    public int limit() {
        return limit;
    }

    /** Runs {@code listener} after every release, so whoever waits for a free slot can look again. */
    public void onRelease(Runnable listener) {
        releaseListeners.add(listener);
    }

    private static String key(String domain) {
        return domain.toLowerCase(Locale.ROOT);
    }
}

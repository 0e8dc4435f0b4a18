package io.smtpwatchdog.demo.outbound;

import java.time.Duration;

/**
 * Exponential retry delays: base, 2×base, 4×base... capped at 64×base, so that a host that is down for a
 * day is still tried about hourly with the default base of a minute.
 */
public final class Backoff {
    private static final int MAX_DOUBLINGS = 6;
    private final Duration base;

    /** Delays starting at {@code base}. */
    public Backoff(Duration base) {
        this.base = base;
    }

    /** The wait after the {@code attempts}-th failed attempt (1 for the first). */
    public Duration after(int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), MAX_DOUBLINGS);
        return base.multipliedBy(1L << doublings);
    }
}

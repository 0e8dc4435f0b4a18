package io.smtpwatchdog.demo.outbound;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Per-domain delivery counters since start, for the STATUS and SUMMARY lines. */
public final class DeliveryStats {
    private final Map<String, Counters> byDomain = new ConcurrentHashMap<>();

    private static final class Counters {
        final AtomicInteger inflight = new AtomicInteger();
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
    }

    private Counters of(String domain) {
        return byDomain.computeIfAbsent(domain, d -> new Counters());
    }

    void started(String domain) {
        of(domain).inflight.incrementAndGet();
    }

    void finished(String domain) {
        of(domain).inflight.decrementAndGet();
    }

    void countDelivered(String domain) {
        of(domain).delivered.incrementAndGet();
    }

    void countFailed(String domain) {
        of(domain).failed.incrementAndGet();
    }

    /** Messages whose delivery to {@code domain} is under way. */
    public int inflight(String domain) {
        return of(domain).inflight.get();
    }

    /** Messages delivered to {@code domain}. */
    public int delivered(String domain) {
        return of(domain).delivered.get();
    }

    /** Messages given up on for {@code domain}. */
    public int failed(String domain) {
        return of(domain).failed.get();
    }

    /** Domains with any activity. */
    public Set<String> domains() {
        return Set.copyOf(byDomain.keySet());
    }
}

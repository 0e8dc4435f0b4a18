package io.smtpwatchdog.track;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded set of destinations with counters of their own.
 *
 * <p>A mail relay may talk to a hundred thousand domains; only the first {@code limit} get their own counters, the
 * rest share {@link #OVERFLOW}. A lookup of a known destination allocates nothing.
 */
final class Destinations {
    /** Where destinations beyond the limit are counted. */
    static final String OVERFLOW = "(other)";

    private final ConcurrentHashMap<String, Destination> byName = new ConcurrentHashMap<String, Destination>();
    private final AtomicInteger size = new AtomicInteger();
    private final int limit;
    private final Destination overflow = new Destination(OVERFLOW);

    Destinations(int limit) {
        this.limit = limit;
    }

    Destination of(String name) {
        Destination d = byName.get(name);
        if (d != null) {
            return d;
        }
        if (size.incrementAndGet() > limit) {
            size.decrementAndGet();
            return overflow;
        }
        Destination fresh = new Destination(name);
        Destination raced = byName.putIfAbsent(name, fresh);
        if (raced != null) {
            size.decrementAndGet();
            return raced;
        }
        return fresh;
    }

    /** Every destination's counters, live, sorted by name; the overflow entry only once it was used. */
    Map<String, Destination> all() {
        Map<String, Destination> m = new TreeMap<String, Destination>(byName);
        if (overflow.connects() + overflow.failedConnects() + overflow.slotsHeld() > 0) {
            m.put(OVERFLOW, overflow);
        }
        return m;
    }

    /** Every destination's counters, sorted by name; the overflow entry only once it was used. */
    Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> m = new TreeMap<String, Map<String, Long>>();
        for (Destination d : all().values()) {
            m.put(d.name(), d.snapshot());
        }
        return m;
    }
}

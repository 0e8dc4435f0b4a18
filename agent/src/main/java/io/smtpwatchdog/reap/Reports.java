package io.smtpwatchdog.reap;

import io.smtpwatchdog.track.Conn;
import io.smtpwatchdog.track.Tracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The reaper's reaps, told to operators after the closes rather than between them.
 *
 * <p>A reap's log line and JMX notification cost several times the close itself. Told at once, a burst of deadlines
 * (thousands of connections to one tarpit, all due within a second) queues every later close behind the earlier
 * lines, and the last ones are reaped hundreds of milliseconds late. So the reaper closes everything due first and
 * tells afterwards, when no deadline is near or the oldest untold reap is a quarter of a second old. Up to {@link #NAMED} reaps of
 * one telling get their own line, as always; the rest of a burst share one summary line that counts them by
 * destination (each still gets its own line at {@code logLevel=debug}). Every reap keeps its counters, set at the
 * close, and its notification, sent here. Reaper thread only.
 */
final class Reports {
    private static final Logger LOG = LoggerFactory.getLogger("smtp-watchdog");
    /** Reaps named one by one per telling; a summary counts the rest. */
    static final int NAMED = 10;
    /** The longest an untold reap waits. */
    static final long HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Told now if no deadline falls sooner than this: the reaper has time. */
    static final long CALM_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Untold reaps held at most; the next reap tells them first (bounded memory). */
    static final int MAX_HELD = 4096;

    /** Whose events: read at each telling, since the MBeans that listen are registered later than the reaper. */
    private final Tracker tracker;
    private final ArrayList<Conn> held = new ArrayList<Conn>();
    private long oldestNanos;

    Reports(Tracker tracker) {
        this.tracker = tracker;
    }

    /** Notes a reap, already closed and counted, to be told later. */
    void reaped(Conn c, long nowNanos) {
        if (held.size() >= MAX_HELD) {
            tell(nowNanos);
        }
        if (held.isEmpty()) {
            oldestNanos = nowNanos;
        }
        held.add(c);
    }

    /** Tells the held reaps if the reaper has time ({@code nanosToNextDeadline}) or the oldest has waited long. */
    void tellIfDue(long nowNanos, long nanosToNextDeadline) {
        if (!held.isEmpty() && (nanosToNextDeadline >= CALM_NANOS || nowNanos - oldestNanos >= HOLD_NANOS)) {
            tell(nowNanos);
        }
    }

    /** How long the reaper may sleep before the held reaps must be told. */
    long nanosToTell(long nowNanos) {
        return held.isEmpty() ? Long.MAX_VALUE : Math.max(0L, oldestNanos + HOLD_NANOS - nowNanos);
    }

    int held() {
        return held.size();
    }

    private void tell(long nowNanos) {
        int n = held.size();
        Map<String, int[]> byDestination = n > NAMED ? new LinkedHashMap<String, int[]>() : null;
        for (int i = 0; i < n; i++) {
            Conn c = held.get(i);
            if (i < NAMED || LOG.isDebugEnabled()) {
                String line = "reaped SMTP connection #{} to {} ({}): {}; host thread '{}' gets a SocketException";
                Object[] args = {c.id(), c.destinationName(), c.remoteAddress(), c.reapReason(), c.threadName()};
                if (i < NAMED) {
                    LOG.warn(line, args);
                } else {
                    LOG.debug(line, args);
                }
            }
            if (byDestination != null && i >= NAMED) {
                int[] k = byDestination.get(c.destinationName());
                if (k == null) {
                    byDestination.put(c.destinationName(), k = new int[1]);
                }
                k[0]++;
            }
            tracker.events().reaped(c, false);
        }
        if (byDestination != null) {
            LOG.warn("reaped {} more SMTP connections within {} ms, counted here rather than named to keep the reaper "
                            + "on time (each is in the counters and the JMX notifications; logLevel=debug names each): {}",
                    n - NAMED, (nowNanos - oldestNanos) / 1_000_000L, counts(byDestination));
        }
        held.clear();
    }

    private static String counts(Map<String, int[]> byDestination) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, int[]> e : byDestination.entrySet()) {
            b.append(b.length() == 0 ? "" : ", ").append(e.getValue()[0]).append(" to ").append(e.getKey());
        }
        return b.toString();
    }
}

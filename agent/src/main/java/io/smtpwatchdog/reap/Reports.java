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
 * <p>A reap's log line and JMX notification cost several times the close itself. Told one by one, a burst of
 * deadlines (thousands of connections to one tarpit, all due within a second) queues every later close behind the
 * earlier lines, and the last ones are reaped hundreds of milliseconds late. So only the first {@link #NAMED} reaps of
 * a telling get their own line, logged before the close as always (a host that exits the moment its read fails still
 * has the line); the rest are closed at once and counted in one summary line by destination when no deadline is near
 * or the oldest is a quarter of a second old (each still gets its own line at {@code logLevel=debug}). Notifications
 * are sent then too. Every reap keeps its counters, set at the close. Reaper thread only. A JVM that exits in the
 * middle of a burst loses the summary of its last quarter second from the log, not from the counters.
 */
final class Reports {
    private static final Logger LOG = LoggerFactory.getLogger("smtp-watchdog");
    private static final String LINE = "reaped SMTP connection #{} to {} ({}): {}; host thread '{}' {}";
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
    /** Reaps closed since the last telling, in order; the first {@link #named} of them were named before the close. */
    private final ArrayList<Conn> held = new ArrayList<Conn>();
    private int named;
    private long oldestNanos;

    Reports(Tracker tracker) {
        this.tracker = tracker;
    }

    /**
     * Logs {@code c}'s reap line now, before the close, if the current telling still names reaps. Each call must be
     * followed by {@link #reaped} for the same connection before the next.
     */
    void nameBeforeClose(Conn c) {
        if (named == held.size() && named < NAMED) {
            named++;
            name(c);
        }
    }

    /** The reap's own line: destination, address, what it waited for, and the host thread that gets the exception. */
    static void name(Conn c) {
        LOG.warn(LINE, c.id(), c.destinationName(), c.remoteAddress(), c.reapReason(), c.threadName(), c.reapEffect());
    }

    /** Notes a reap, already closed and counted, for its notification and, unless it was named, the summary. */
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
        if (held.isEmpty()) {
            named = 0; // a reap whose close failed after it was named must not leave the next burst unnamed
            return;
        }
        if (nanosToNextDeadline >= CALM_NANOS || nowNanos - oldestNanos >= HOLD_NANOS) {
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
        Map<String, int[]> byDestination = new LinkedHashMap<String, int[]>();
        int counted = 0;
        for (int i = 0; i < held.size(); i++) {
            Conn c = held.get(i);
            if (i >= named) {
                counted++;
                LOG.debug(LINE, c.id(), c.destinationName(), c.remoteAddress(), c.reapReason(), c.threadName(),
                        c.reapEffect());
                int[] k = byDestination.get(c.destinationName());
                if (k == null) {
                    byDestination.put(c.destinationName(), k = new int[1]);
                }
                k[0]++;
            }
            tracker.events().reaped(c, false);
        }
        if (counted > 0) {
            LOG.warn("reaped {} more SMTP connections within {} ms, counted here rather than named to keep the reaper "
                            + "on time (each is in the counters and the JMX notifications; logLevel=debug names each): {}",
                    counted, (nowNanos - oldestNanos) / 1_000_000L, counts(byDestination));
        }
        held.clear();
        named = 0;
    }

    private static String counts(Map<String, int[]> byDestination) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, int[]> e : byDestination.entrySet()) {
            b.append(b.length() == 0 ? "" : ", ").append(e.getValue()[0]).append(" to ").append(e.getKey());
        }
        return b.toString();
    }
}

package io.smtpwatchdog.track;

import java.util.HashMap;
import java.util.Map;

/**
 * The oldest connection still awaiting its greeting, for every destination at once, from one shared walk of the
 * connection table.
 *
 * <p>A scrape reads {@code OldestAwaitingMillis} of every Domain MBean. Walking the table (16,384 buckets) once per
 * read made a scrape of N stuck destinations cost N walks; here one walk answers all of them and is kept. A kept
 * answer stays exact as long as the connection it names still awaits its greeting: no connection opened later can be
 * older, and its age is computed at the read. Once that connection got its greeting or ended (or the destination has
 * a connection the walk did not see), the next read of it walks again, but at most every {@link #REWALK_NANOS}, so a
 * wave of reaps or connects cannot bring back a walk per read; such an answer is at most that old. Only operator
 * reads come here: the hooks never touch it, so connect, read and close stay as they were. A kept answer holds at
 * most one connection record per destination, never a socket (a record only refers to its socket weakly).
 */
final class OldestAwaiting {
    /** The soonest a read walks again because the walk's answer for its destination is out of date. */
    static final long REWALK_NANOS = 100_000_000L;

    /** One walk's answer: the oldest awaiting connection of each destination that had one. Never changed. */
    private static final class Walk {
        final long takenNanos;
        final Map<Destination, Conn> oldest;

        Walk(long takenNanos, Map<Destination, Conn> oldest) {
            this.takenNanos = takenNanos;
            this.oldest = oldest;
        }
    }

    private final ConnTable table;
    /** Racing readers may both walk and the last one wins; both answers are right, so no lock is needed. */
    private volatile Walk last;
    private volatile int walks;

    OldestAwaiting(ConnTable table) {
        this.table = table;
    }

    /**
     * How long the oldest connection to {@code d} still awaiting its greeting has waited at {@code nowNanos}, or 0.
     * Call it only while {@code d} counts an awaiting connection: otherwise every read would look for one again.
     */
    long millis(Destination d, long nowNanos) {
        Walk w = last;
        Conn c = w == null ? null : w.oldest.get(d);
        if (w == null || ((c == null || c.state() != Conn.AWAITING) && nowNanos - w.takenNanos > REWALK_NANOS)) {
            w = walk(nowNanos);
            c = w.oldest.get(d);
        }
        return c == null ? 0 : Math.max(0L, (nowNanos - c.connectedNanos) / 1_000_000L);
    }

    /** How many walks were made, for tests. */
    int walks() {
        return walks;
    }

    private Walk walk(long nowNanos) {
        Map<Destination, Conn> oldest = new HashMap<Destination, Conn>();
        table.forEach(n -> {
            if (n instanceof Conn && ((Conn) n).state() == Conn.AWAITING) {
                Conn c = (Conn) n;
                Conn seen = oldest.get(c.destination);
                if (seen == null || c.connectedNanos - seen.connectedNanos < 0) {
                    oldest.put(c.destination, c);
                }
            }
        });
        Walk w = new Walk(nowNanos, oldest);
        last = w;
        walks++; // a lost count under a race only matters to tests, which read alone
        return w;
    }
}

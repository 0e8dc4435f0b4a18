package io.smtpwatchdog.track;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What operators see (JMX, the status command, tests): the live connections, the found ones, and the counters.
 *
 * <p>Every read here walks or copies; none is on a hook's path, and none changes what it reads.
 */
public final class Views {
    private final ConnTable table;
    private final Destinations destinations;
    private final Destination totals;
    private final List<Found> found;
    private final OldestAwaiting oldestAwaiting;

    Views(ConnTable table, Destinations destinations, Destination totals, List<Found> found) {
        this.table = table;
        this.destinations = destinations;
        this.totals = totals;
        this.found = found;
        this.oldestAwaiting = new OldestAwaiting(table);
    }

    /** The connections not yet ended. Walks the whole table: for views, not for hot paths. */
    public List<Conn> live() {
        List<Conn> out = new ArrayList<Conn>();
        table.forEach(n -> {
            if (n instanceof Conn && ((Conn) n).state() < Conn.CLOSED) {
                out.add((Conn) n);
            }
        });
        return out;
    }

    /** The live connection with this id, or null. */
    public Conn connection(long id) {
        for (Conn c : live()) {
            if (c.id == id) {
                return c;
            }
        }
        return null;
    }

    /** The found connections not yet rescued or ended. */
    public List<Found> foundBlocked() {
        return new ArrayList<Found>(found);
    }

    /** Counters of every destination, by name. */
    public Map<String, Map<String, Long>> destinations() {
        return destinations.snapshot();
    }

    /** Counters summed over every destination. */
    public Map<String, Long> totals() {
        return totals.snapshot();
    }

    /** The destinations' counters, live, by name (no copy of the numbers). */
    public Map<String, Destination> destinationCounters() {
        return destinations.all();
    }

    /** The counters summed over every destination, live. */
    public Destination totalCounters() {
        return totals;
    }

    /**
     * How long the oldest connection to {@code d} still awaiting its greeting has waited, or 0; for reads while
     * {@code d} counts an awaiting connection. One table walk answers every destination (see {@link OldestAwaiting}).
     */
    public long oldestAwaitingMillis(Destination d) {
        return oldestAwaiting.millis(d, System.nanoTime());
    }

    /** The shared walk behind {@link #oldestAwaitingMillis(Destination)}, for tests. */
    OldestAwaiting oldestAwaiting() {
        return oldestAwaiting;
    }
}

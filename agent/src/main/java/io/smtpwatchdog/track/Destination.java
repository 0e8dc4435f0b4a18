package io.smtpwatchdog.track;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The counters of one destination: the host name the client connected to, or its address.
 *
 * <p>Gauges ({@code open}, {@code awaiting}, {@code inSession}) go up and down with the connections' lives; totals only
 * grow. A connection ends exactly once, so {@code connects = closes + abandoned + open} holds whenever no transition
 * is in flight. Field updaters keep every change lock-free and allocation-free.
 */
public final class Destination {
    private static final AtomicLongFieldUpdater<Destination> OPEN = updater("open");
    private static final AtomicLongFieldUpdater<Destination> AWAITING = updater("awaiting");
    private static final AtomicLongFieldUpdater<Destination> IN_SESSION = updater("inSession");
    private static final AtomicLongFieldUpdater<Destination> CONNECTS = updater("connects");
    private static final AtomicLongFieldUpdater<Destination> CLOSES = updater("closes");
    private static final AtomicLongFieldUpdater<Destination> REAPED = updater("reaped");
    private static final AtomicLongFieldUpdater<Destination> OVERDUE = updater("overdue");
    private static final AtomicLongFieldUpdater<Destination> FAILED_CONNECTS = updater("failedConnects");
    private static final AtomicLongFieldUpdater<Destination> ABANDONED = updater("abandoned");
    private static final AtomicLongFieldUpdater<Destination> SLOTS_HELD = updater("slotsHeld");
    private static final AtomicLongFieldUpdater<Destination> SLOTS_RECOVERED = updater("slotsRecovered");
    private static final AtomicLongFieldUpdater<Destination> RESCUED = updater("rescued");

    private final String name;
    private volatile long open;
    private volatile long awaiting;
    private volatile long inSession;
    private volatile long connects;
    private volatile long closes;
    private volatile long reaped;
    private volatile long overdue;
    private volatile long failedConnects;
    private volatile long abandoned;
    private volatile long slotsHeld;
    private volatile long slotsRecovered;
    private volatile long rescued;
    /** Reaps by the wait they ended, by {@link Phase} ordinal; rescues count as greeting reaps. */
    private final AtomicLongArray reapedByPhase = new AtomicLongArray(PHASES.length);
    private static final Phase[] PHASES = Phase.values();

    Destination(String name) {
        this.name = name;
    }

    private static AtomicLongFieldUpdater<Destination> updater(String field) {
        return AtomicLongFieldUpdater.newUpdater(Destination.class, field);
    }

    public String name() {
        return name;
    }

    void onConnect() {
        CONNECTS.incrementAndGet(this);
        OPEN.incrementAndGet(this);
        AWAITING.incrementAndGet(this);
    }

    void onConnectFailed() {
        FAILED_CONNECTS.incrementAndGet(this);
    }

    void onGreeting() {
        AWAITING.decrementAndGet(this);
        IN_SESSION.incrementAndGet(this);
    }

    /** The reaper claimed an awaiting connection: it stops awaiting now and ends when its socket is closed. */
    void onReap() {
        AWAITING.decrementAndGet(this);
        REAPED.incrementAndGet(this);
        reapedByPhase.incrementAndGet(Phase.GREETING.ordinal());
    }

    /** The reaper claimed a connection in session whose reply of {@code phase} was overdue. */
    void onSessionReap(Phase phase) {
        IN_SESSION.decrementAndGet(this);
        REAPED.incrementAndGet(this);
        reapedByPhase.incrementAndGet(phase.ordinal());
    }

    /**
     * A connection the hooks never saw (found at attach or startup) was closed because its greeting read outlasted
     * the deadline: a reap in every sense but the ledger, which never counted it open.
     */
    void onRescue() {
        REAPED.incrementAndGet(this);
        reapedByPhase.incrementAndGet(Phase.GREETING.ordinal());
        RESCUED.incrementAndGet(this);
    }

    void onOverdue() {
        OVERDUE.incrementAndGet(this);
    }

    void onSlotTaken() {
        SLOTS_HELD.incrementAndGet(this);
    }

    /** A slot was given back, by the host ({@code recovered} false) or by the agent on its behalf. */
    void onSlotGivenBack(boolean recovered) {
        SLOTS_HELD.decrementAndGet(this);
        if (recovered) {
            SLOTS_RECOVERED.incrementAndGet(this);
        }
    }

    /** The connection in state {@code from} ended; {@code abandoned} when it was collected without a close. */
    void onEnd(int from, boolean abandonedSocket) {
        if (from == Conn.AWAITING) {
            AWAITING.decrementAndGet(this);
        } else if (from == Conn.IN_SESSION) {
            IN_SESSION.decrementAndGet(this);
        }
        OPEN.decrementAndGet(this);
        (abandonedSocket ? ABANDONED : CLOSES).incrementAndGet(this);
    }

    public long open() {
        return open;
    }

    public long awaiting() {
        return awaiting;
    }

    public long inSession() {
        return inSession;
    }

    public long connects() {
        return connects;
    }

    public long closes() {
        return closes;
    }

    public long reaped() {
        return reaped;
    }

    /** Reaps that ended a wait of {@code phase}. */
    public long reaped(Phase phase) {
        return reapedByPhase.get(phase.ordinal());
    }

    /** Reaps by phase label ({@code greeting}, {@code mail}, ...), every phase present, in a stable order. */
    public Map<String, Long> reapedByPhase() {
        Map<String, Long> m = new LinkedHashMap<String, Long>();
        for (Phase p : PHASES) {
            m.put(p.label, reapedByPhase.get(p.ordinal()));
        }
        return m;
    }

    public long overdue() {
        return overdue;
    }

    public long failedConnects() {
        return failedConnects;
    }

    public long abandoned() {
        return abandoned;
    }

    public long slotsHeld() {
        return slotsHeld;
    }

    public long slotsRecovered() {
        return slotsRecovered;
    }

    public long rescued() {
        return rescued;
    }

    /** {@code reapedGreeting}, {@code reapedMail}, {@code reapedDataEnd}, ...: a word, as snapshot keys are. */
    static String counterKey(Phase p) {
        StringBuilder b = new StringBuilder("reaped");
        boolean upper = true;
        for (char c : p.label.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    /** A snapshot of every counter, by name, in a stable order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<String, Long>();
        m.put("open", open);
        m.put("awaiting", awaiting);
        m.put("inSession", inSession);
        m.put("connects", connects);
        m.put("closes", closes);
        m.put("reaped", reaped);
        m.put("overdue", overdue);
        m.put("failedConnects", failedConnects);
        m.put("abandoned", abandoned);
        m.put("slotsHeld", slotsHeld);
        m.put("slotsRecovered", slotsRecovered);
        m.put("rescued", rescued);
        for (Phase p : PHASES) {
            m.put(counterKey(p), reapedByPhase.get(p.ordinal()));
        }
        return m;
    }
}

package io.smtpwatchdog.track;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One unit of a host's own per-domain connection counter, taken through a declared acquire method.
 *
 * <p>It is tied to the tracked socket its thread connects next. When that socket ends and the host has not given the
 * slot back within the grace period, the agent gives it back by calling the declared release method once. The state
 * only moves forward, by compare-and-set, so the host's release and the agent's recovery can never both count:
 * {@code HELD -> BOUND -> RELEASED | RECOVERED}, {@code HELD -> RELEASED}.
 */
public final class Slot {
    static final int HELD = 0;
    static final int BOUND = 1;
    static final int RELEASED = 2;
    static final int RECOVERED = 3;

    private static final AtomicIntegerFieldUpdater<Slot> STATE =
            AtomicIntegerFieldUpdater.newUpdater(Slot.class, "state");

    /** The host's limiter; weak, so the agent never keeps it alive. */
    final WeakReference<Object> owner;
    final String domain;
    final Destination destination;
    final long threadId;
    final int acquireDeclaration;
    private volatile int state = HELD;
    /** The socket it is tied to; set once, by the thread that acquired it. */
    volatile Conn conn;
    /** When its socket ended, for the grace period. */
    volatile long endedNanos;
    /** Intrusive link in the {@link SlotLedger}'s stack of slots whose socket ended: pushing allocates nothing. */
    Slot nextEnded;
    /** The host's late release of a recovered slot was swallowed already. */
    boolean absorbed;
    /** The reaper said it would give this slot back but monitor mode held it back; reaper thread only. */
    private boolean heldBackReported;

    Slot(Object owner, String domain, Destination destination, int acquireDeclaration) {
        this.owner = new WeakReference<Object>(owner);
        this.domain = domain;
        this.destination = destination;
        this.threadId = Thread.currentThread().getId();
        this.acquireDeclaration = acquireDeclaration;
    }

    int state() {
        return state;
    }

    boolean move(int from, int to) {
        return STATE.compareAndSet(this, from, to);
    }

    public String domain() {
        return domain;
    }

    /** The connection it was tied to, or null. */
    public Conn conn() {
        return conn;
    }

    /** The limiter, or null if the host dropped it. */
    public Object owner() {
        return owner.get();
    }

    public int acquireDeclaration() {
        return acquireDeclaration;
    }

    /** Whether it is still tied to an ended socket and not given back, by the host or the agent. */
    public boolean stillHeld() {
        return state == BOUND;
    }

    /** When its socket ended ({@link System#nanoTime()} terms), for the grace period. */
    public long endedNanos() {
        return endedNanos;
    }

    /** Whether the reaper has reported that monitor mode keeps it from giving this slot back. */
    public boolean heldBackReported() {
        return heldBackReported;
    }

    /** True the first time the reaper reports that monitor mode keeps it from giving this slot back. */
    public boolean firstHeldBackReport() {
        if (heldBackReported) {
            return false;
        }
        heldBackReported = true;
        return true;
    }
}

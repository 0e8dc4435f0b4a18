package io.smtpwatchdog.track;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Every slot of the host's own per-domain counters the agent knows of, from the declared acquire to the host's
 * release or the agent's recovery; the one owner the hooks, the reaper's give-back and an operator's release share.
 *
 * <p>Acquire and release are the host's once-per-delivery calls; on the socket hot paths the ledger only ties a
 * pending slot to its socket at connect and queues it when that socket ends, both without a lock or an allocation.
 */
public final class SlotLedger {
    private final Destinations destinations;
    private final Destination totals;
    private final Attribution attribution;
    private final AtomicReference<Slot> endedSlots = new AtomicReference<Slot>();
    private final SlotBook slots = new SlotBook();
    /** The limiters the host used, for an operator's releaseSlot; weak. */
    private final SlotOwners slotOwners = new SlotOwners();
    /** Told of host calls to a declared slot release that match no slot the agent saw; usually null. */
    private volatile ReleaseWatch releaseWatch;

    SlotLedger(Destinations destinations, Destination totals, Attribution attribution) {
        this.destinations = destinations;
        this.totals = totals;
        this.attribution = attribution;
    }

    /** Ties the slot {@code delivery}'s thread took for it, if any, to the connection it just opened. */
    void bind(Delivery delivery, Conn c) {
        if (delivery != null && delivery.pendingSlot != null) {
            Slot slot = delivery.pendingSlot; // the slot its thread took for this delivery
            delivery.pendingSlot = null;
            if (slot.move(Slot.HELD, Slot.BOUND)) {
                slot.conn = c;
                c.slot = slot;
            }
        }
    }

    /** {@code c} ended: its slot, if still held, starts its grace period for the reaper. */
    void ended(Conn c) {
        Slot slot = c.slot;
        if (slot != null && slot.state() == Slot.BOUND) {
            slot.endedNanos = System.nanoTime();
            Slot top;
            do {
                top = endedSlots.get();
                slot.nextEnded = top;
            } while (!endedSlots.compareAndSet(top, slot));
        }
    }

    void onAcquire(Object owner, Object[] args, int declaration, String returnType, Object returned,
                   Throwable thrown) {
        if (owner == null || AgentThread.isCurrent()) {
            return;
        }
        slotOwners.saw(owner);
        if (thrown != null) {
            return;
        }
        // boolean acquire(...) says yes or no; a void one acquired if it returned; any other, if not null.
        boolean acquired = "void".equals(returnType) || (returned instanceof Boolean ? (Boolean) returned
                : returned != null);
        String domain = attribution.domainOf(args, declaration);
        if (!acquired || domain == null) {
            return;
        }
        Destination d = destinations.of(domain);
        Slot slot = new Slot(owner, domain, d, declaration);
        Slot evicted = slots.add(slot);
        if (evicted != null) {
            evicted.destination.onSlotGivenBack(false); // no longer known to be held
            totals.onSlotGivenBack(false);
        }
        d.onSlotTaken();
        totals.onSlotTaken();
        attribution.currentOrNew().pendingSlot = slot;
    }

    boolean onRelease(Object owner, Object[] args, int declaration) {
        if (owner == null || AgentThread.isCurrent()) {
            return false; // the agent's own call (a recovery, counted already; an operator's release): let it through
        }
        slotOwners.saw(owner);
        String domain = attribution.domainOf(args, declaration);
        if (domain == null) {
            return false;
        }
        long thread = Thread.currentThread().getId();
        Slot[] which = new Slot[1];
        SlotBook.Release r = slots.released(owner, domain, thread, which);
        ReleaseWatch watch = releaseWatch;
        if (watch != null && (which[0] == null || which[0].threadId != thread)) {
            // Not a slot this thread took after the agent arrived: it may be one taken before, which is what the
            // watch waits for. A thread rescued from a greeting that releases only the slot of its next delivery
            // (taken and tracked since) has not given back the slot of the rescued one.
            watch.released(thread, domain);
        }
        if (r == SlotBook.Release.RELEASED) {
            which[0].destination.onSlotGivenBack(false);
            totals.onSlotGivenBack(false);
            Delivery delivery = attribution.current();
            if (delivery != null && delivery.pendingSlot == which[0]) {
                delivery.pendingSlot = null;
            }
        }
        return r == SlotBook.Release.ALREADY_RECOVERED;
    }

    /** Takes every slot whose socket ended since the last call, linked through {@link #nextEnded(Slot)}. */
    public Slot takeEnded() {
        return endedSlots.getAndSet(null);
    }

    public static Slot nextEnded(Slot s) {
        Slot next = s.nextEnded;
        s.nextEnded = null;
        return next;
    }

    /** Claims {@code s} for the agent to give back; false if the host released it meanwhile. */
    public boolean recover(Slot s) {
        if (!s.move(Slot.BOUND, Slot.RECOVERED)) {
            return false;
        }
        slots.recovered(s);
        s.destination.onSlotGivenBack(true);
        totals.onSlotGivenBack(true);
        return true;
    }

    /** The objects the host called its declared slot methods on, for an operator's release. */
    public SlotOwners owners() {
        return slotOwners;
    }

    /** Who hears of declared slot releases that match no slot the agent saw (a rescued thread's), or null. */
    public void releaseWatch(ReleaseWatch w) {
        this.releaseWatch = w;
    }
}

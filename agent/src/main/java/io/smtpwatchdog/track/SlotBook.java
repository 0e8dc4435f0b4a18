package io.smtpwatchdog.track;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The slots the agent has seen taken and not yet given back, and the ones it gave back itself.
 *
 * <p>Acquire and release are the host's own once-per-delivery calls, not the socket hot paths, so a monitor is fine
 * here; the lists are as long as the deliveries in flight. Both are bounded: a host that leaks slots for reasons of
 * its own cannot make the agent grow without limit.
 */
final class SlotBook {
    /** What became of a release the host made. */
    enum Release { UNKNOWN, RELEASED, ALREADY_RECOVERED }

    private static final int MAX_LIVE = 10000;
    private static final int MAX_RECOVERED = 1024;

    private final List<Slot> live = new ArrayList<Slot>();
    private final ArrayDeque<Slot> recovered = new ArrayDeque<Slot>();

    /** Records a slot taken; returns one evicted to stay bounded (never tied to a socket), or null. */
    synchronized Slot add(Slot s) {
        live.add(s);
        if (live.size() <= MAX_LIVE) {
            return null;
        }
        for (Iterator<Slot> it = live.iterator(); it.hasNext(); ) {
            Slot old = it.next();
            if (old.state() == Slot.HELD || old.owner.get() == null) {
                it.remove();
                return old;
            }
        }
        return null;
    }

    /**
     * The host released a slot of {@code domain} on {@code owner}: the newest one its own thread took (a thread gives
     * back the slot of the delivery it is finishing, while an older one of its reaped deliveries may still wait out
     * its grace period), else the oldest one of any thread. If the agent already gave that slot back, the host's
     * release is reported so it can be skipped.
     */
    synchronized Release released(Object owner, String domain, long threadId, Slot[] which) {
        Slot own = null;
        Slot other = null;
        for (Slot s : live) {
            if (s.owner.get() == owner && s.domain.equals(domain)) {
                if (s.threadId == threadId) {
                    own = s; // keeps the newest: the list is in acquisition order
                } else if (other == null) {
                    other = s;
                }
            }
        }
        Slot match = own != null ? own : other;
        if (match != null) {
            while (true) {
                int st = match.state();
                if (st != Slot.HELD && st != Slot.BOUND) {
                    break; // recovered a moment ago: fall through to the recovered list
                }
                if (match.move(st, Slot.RELEASED)) {
                    live.remove(match);
                    which[0] = match;
                    return Release.RELEASED;
                }
            }
        }
        for (Iterator<Slot> it = recovered.iterator(); it.hasNext(); ) {
            Slot s = it.next();
            if (s.owner.get() == owner && s.domain.equals(domain) && !s.absorbed) {
                s.absorbed = true;
                it.remove();
                which[0] = s;
                return Release.ALREADY_RECOVERED;
            }
        }
        return Release.UNKNOWN;
    }

    /** The agent gave {@code s} back; keep it a while so that a late release by the host is recognised. */
    synchronized void recovered(Slot s) {
        live.remove(s);
        recovered.addLast(s);
        if (recovered.size() > MAX_RECOVERED) {
            recovered.removeFirst();
        }
    }

    synchronized int live() {
        return live.size();
    }
}

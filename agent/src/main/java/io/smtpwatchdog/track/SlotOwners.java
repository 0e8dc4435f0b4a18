package io.smtpwatchdog.track;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The objects the host has called its declared slot methods on since the agent arrived: its limiter instance, or the
 * class for static methods. An operator's {@code releaseSlot} needs one to call {@code slotRelease} on, and may only
 * use it when there is exactly one: with two limiters, which one holds a leaked slot would be a guess.
 *
 * <p>Weak and bounded: the agent never keeps a host object alive, and a host that makes a limiter per delivery
 * cannot make this grow. Once more than {@link #MAX} live owners were seen at once, the answer stays "several" for
 * good, since the ones let go can no longer be counted. Acquire and release are once per delivery, so a monitor is
 * fine; the usual call, on the same owner as last time, takes a volatile read and no lock.
 */
public final class SlotOwners {
    /** Live owners remembered one by one; more than this means "several" from then on. */
    static final int MAX = 16;

    private final List<WeakReference<Object>> seen = new ArrayList<WeakReference<Object>>();
    private volatile WeakReference<Object> last;
    private boolean overflowed;

    /** The host called a declared slot method on {@code owner}. */
    void saw(Object owner) {
        WeakReference<Object> l = last;
        if (l != null && l.get() == owner) {
            return;
        }
        synchronized (this) {
            for (Iterator<WeakReference<Object>> it = seen.iterator(); it.hasNext(); ) {
                Object o = it.next().get();
                if (o == owner) {
                    last = new WeakReference<Object>(owner);
                    return;
                }
                if (o == null) {
                    it.remove(); // collected: it holds no slot any more
                }
            }
            if (seen.size() >= MAX) {
                overflowed = true;
                return;
            }
            WeakReference<Object> ref = new WeakReference<Object>(owner);
            seen.add(ref);
            last = ref;
        }
    }

    /** Which owner an operator's release would go to: the one there is, or why there is none to choose. */
    public synchronized Choice choose() {
        List<Object> live = new ArrayList<Object>();
        for (WeakReference<Object> r : seen) {
            Object o = r.get();
            if (o != null) {
                live.add(o);
            }
        }
        if (overflowed) {
            return new Choice(null, live, "the host has used more than " + MAX + " objects for its declared "
                    + "slot methods since the agent started; which one holds the slot would be a guess");
        }
        if (live.size() == 1) {
            return new Choice(live.get(0), live, null);
        }
        if (live.isEmpty()) {
            return new Choice(null, live, seen.isEmpty()
                    ? "the host has not called its declared slotAcquire or slotRelease since the agent started, so "
                    + "no instance is known to call slotRelease on; try again once it has"
                    : "the object the host used for its declared slot methods has been garbage-collected");
        }
        StringBuilder names = new StringBuilder();
        for (Object o : live) {
            names.append(names.length() == 0 ? "" : ", ").append(SlotOwners.describe(o));
        }
        return new Choice(null, live, "the host has used " + live.size() + " objects for its declared slot "
                + "methods since the agent started (" + names + "); which one holds the slot would be a guess");
    }

    /** An owner as the operator sees it, without calling the host's own {@code toString}. */
    public static String describe(Object owner) {
        if (owner instanceof Class) {
            return "class " + ((Class<?>) owner).getName() + " (static)";
        }
        return owner.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(owner));
    }

    /** The outcome of {@link #choose()}. */
    public static final class Choice {
        private final Object owner;
        private final int live;
        private final String refusal;

        Choice(Object owner, List<Object> live, String refusal) {
            this.owner = owner;
            this.live = live.size();
            this.refusal = refusal;
        }

        /** The one owner, or null when the choice is refused. */
        public Object owner() {
            return owner;
        }

        /** Why there is no owner to choose, as one sentence for the operator; null when there is one. */
        public String refusal() {
            return refusal;
        }

        /** How many remembered owners are still alive. */
        public int live() {
            return live;
        }
    }
}

package io.smtpwatchdog.track;

import io.smtpwatchdog.bridge.Bridge;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import io.smtpwatchdog.config.Declaration;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;

/**
 * Receives every socket hook and keeps the life of each tracked SMTP connection.
 *
 * <p>Hot paths first: a read or close on a socket that is not tracked costs a volatile read, or an identity-hash
 * table walk while some connection awaits its greeting; a read after the greeting costs the same walk and nothing
 * more. No path here takes a lock, and only connect, the end of a greeting and a close before the greeting allocate.
 * Cleanup of ended and collected connections happens on the reaper thread through {@link #housekeep()}.
 */
public final class Tracker extends Bridge {
    /** Probe hook bits, set by the self-test's socket. */
    public static final int SAW_CONNECT = 1;
    public static final int SAW_READ = 2;
    public static final int SAW_CLOSE = 4;

    private static volatile Tracker current;

    private final Policy policy;
    private final Destinations destinations;
    private final Destination totals = new Destination("(all)");
    private final ConnTable table = new ConnTable();
    private final OldestAwaiting oldestAwaiting = new OldestAwaiting(table);
    private final Deadlines deadlines = new Deadlines();
    private final ReferenceQueue<Socket> collected = new ReferenceQueue<Socket>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicReference<Conn> ended = new AtomicReference<Conn>();
    private final AtomicReference<Slot> endedSlots = new AtomicReference<Slot>();
    private final SlotBook slots = new SlotBook();
    /** The limiters the host used, for an operator's releaseSlot; weak. */
    private final SlotOwners slotOwners = new SlotOwners();
    /** Per host thread, created on its first delivery or acquire; threads that never deliver never get one. */
    private final ThreadLocal<Delivery> deliveries = new ThreadLocal<Delivery>();
    /** The operator's declarations, indexed by the id the installer gave their advice. */
    private volatile List<Declaration> declarations = Collections.emptyList();
    private volatile Thread reaper;
    /**
     * When the reaper looks at the deadlines next ({@link System#nanoTime()} terms). A connection due later needs no
     * wake-up: waking the reaper on every connect cost more than the rest of the connect hook together (P1).
     */
    private volatile long reaperWakesAt = System.nanoTime();
    /** Whether any tracked connect has happened yet; the first one always wakes the reaper. */
    private volatile boolean connectedOnce;
    private volatile Events events = Events.NONE;
    /** Connections the discovery found blocked (see {@link Found}); few, and only for a while after a start. */
    private final List<Found> found = new java.util.concurrent.CopyOnWriteArrayList<Found>();
    /** Told of host calls to a declared slot release that match no slot the agent saw; usually null. */
    private volatile ReleaseWatch releaseWatch;
    private volatile Socket probe;
    private volatile int probeSeen;

    public Tracker(Policy policy, int maxDestinations) {
        this.policy = policy;
        this.destinations = new Destinations(maxDestinations);
    }

    /** The tracker the hooks feed, or null before the agent started. */
    public static Tracker current() {
        return current;
    }

    /** Makes this the tracker every hook feeds. */
    public void activate() {
        current = this;
        Bridge.install(this);
    }

    public Policy policy() {
        return policy;
    }

    /** The operator's declarations; the installer binds each one's index into its advice. */
    public void declarations(List<Declaration> list) {
        this.declarations = Collections.unmodifiableList(new ArrayList<Declaration>(list));
    }

    public List<Declaration> declarations() {
        return declarations;
    }

    /** The thread to wake when a new connection becomes the first one due. */
    public void reaperThread(Thread t) {
        this.reaper = t;
    }

    // ---- hooks -------------------------------------------------------------------------------------------------

    @Override
    protected void onConnect(Socket socket, SocketAddress endpoint, Throwable thrown) {
        if (socket == probe) {
            if (thrown == null) {
                probeSeen |= SAW_CONNECT;
            }
            return;
        }
        if (!(endpoint instanceof InetSocketAddress) || AgentThread.isCurrent()) {
            return;
        }
        InetSocketAddress remote = (InetSocketAddress) endpoint;
        Delivery delivery = deliveries.get();
        boolean delivering = delivery != null && delivery.active();
        if (!delivering && !policy.watches(remote.getPort())) {
            return; // not an SMTP port, and no delivery says otherwise
        }
        String known = delivering ? delivery.destination() : null;
        if (known == null) {
            known = remote.getHostString();
            int domains = delivering ? delivery.recipientDomains() : 0;
            if (domains > 1) {
                known = known + " (" + domains + " recipient domains)";
            }
        }
        Destination d = destinations.of(known);
        if (thrown != null) {
            if (socket.isConnected()) {
                return; // "Already connected": a misuse of a live socket, not a failed connection
            }
            d.onConnectFailed();
            totals.onConnectFailed();
            return;
        }
        if (table.find(socket) != null) {
            return; // a subclass connecting twice through super.connect: counted once
        }
        // The destination's own deadline if an operator set one (a lock-free map look-up), else the global one.
        Conn c = new Conn(socket, collected, ids.incrementAndGet(), d, remote, policy.bannerTimeoutNanos(d.name()),
                socket instanceof SSLSocket);
        if (policy.captureStacks()) {
            c.openedAt = hostFrames(new Throwable().getStackTrace());
        }
        if (delivery != null && delivery.pendingSlot != null) {
            Slot slot = delivery.pendingSlot; // the slot its thread took for this delivery
            delivery.pendingSlot = null;
            if (slot.move(Slot.HELD, Slot.BOUND)) {
                slot.conn = c;
                c.slot = slot;
            }
        }
        d.onConnect();
        totals.onConnect();
        table.add(c);
        boolean wake = deadlines.add(c) && c.deadlineNanos - reaperWakesAt < 0;
        if (!connectedOnce) {
            // The reaper's once-only "the host has started" report waits for the first connect: a short-lived host
            // may be gone before the reaper's next look, 250 ms away.
            connectedOnce = true;
            wake = true;
        }
        if (wake) {
            Thread r = reaper;
            if (r != null) {
                java.util.concurrent.locks.LockSupport.unpark(r);
            }
        }
    }

    @Override
    protected void onClose(Socket socket) {
        if (socket == probe) {
            probeSeen |= SAW_CLOSE;
            return;
        }
        if (totals.open() == 0) {
            return;
        }
        Conn c = table.find(socket);
        if (c != null && c.get() == socket) { // closing a layered TLS socket alone leaves the connection open
            end(c, false);
        }
    }

    @Override
    protected void onRead(Socket socket, byte[] buffer, int offset, int n, boolean decrypted) {
        if (socket == probe) {
            probeSeen |= SAW_READ;
            return;
        }
        if (totals.awaiting() == 0) {
            return;
        }
        Conn c = table.find(socket);
        if (c == null || c.state() != Conn.AWAITING) {
            return;
        }
        if (!decrypted && !c.tls && c.greeting == 0 && isTlsRecord(buffer[offset])) {
            // A greeting starts with a digit; a TLS record type byte means TLS over this socket that the layering
            // hook did not see. Its greeting is then invisible here, and it must not be reaped for that.
            c.tls = true;
        }
        if (c.tls != decrypted) {
            return;
        }
        int g = Greeting.feed(c.greeting, buffer, offset, n);
        c.greeting = g;
        if (Greeting.isDone(g) && c.move(Conn.AWAITING, Conn.IN_SESSION)) {
            deadlines.remove(c);
            c.destination.onGreeting();
            totals.onGreeting();
        }
    }

    /** At most 32 frames of the host's, starting at its call of connect: the agent's own frames tell nothing. */
    private static StackTraceElement[] hostFrames(StackTraceElement[] all) {
        int from = 0;
        while (from < all.length && (all[from].getClassName().startsWith("io.smtpwatchdog.track.")
                || all[from].getClassName().startsWith("io.smtpwatchdog.bridge.")
                || (all[from].getClassName().equals("java.net.Socket") && all[from].getMethodName().equals("connect")))) {
            from++;
        }
        int n = Math.min(32, all.length - from);
        StackTraceElement[] out = new StackTraceElement[n];
        System.arraycopy(all, from, out, 0, n);
        return out;
    }

    /** TLS record content types: change_cipher_spec, alert, handshake, application_data. */
    private static boolean isTlsRecord(byte first) {
        return first >= 20 && first <= 23;
    }

    @Override
    protected void onLayer(Socket tls, Socket plain) {
        Conn c = table.find(plain);
        if (c == null || c.get() != plain) {
            return;
        }
        c.tls = true;
        Alias a = new Alias(tls, collected, c);
        c.alias = a;
        table.add(a);
    }

    @Override
    protected void onDelivery(String destination, boolean entering) {
        if (AgentThread.isCurrent()) {
            return;
        }
        Delivery d = deliveries.get();
        if (d == null) {
            if (!entering) {
                return;
            }
            d = new Delivery();
            deliveries.set(d);
        }
        if (entering) {
            d.enter(destination);
        } else {
            d.leave();
        }
    }

    @Override
    protected void onDeliveryTo(Object[] recipients) {
        if (AgentThread.isCurrent()) {
            return;
        }
        String domain = null;
        int domains = 0;
        try {
            Recipients r = Recipients.of(recipients);
            domain = r.domain;
            domains = r.domains;
        } catch (Throwable t) {
            // An address whose toString throws says nothing; the delivery is entered all the same, for its exit.
        }
        Delivery d = deliveries.get();
        if (d == null) {
            d = new Delivery();
            deliveries.set(d);
        }
        d.enter(domain, domains);
    }

    @Override
    protected String domainOf(Object[] args, int declaration) {
        List<Declaration> list = declarations;
        if (args == null || declaration < 0 || declaration >= list.size()) {
            return null;
        }
        int i = list.get(declaration).domainArgument();
        Object value = i < args.length ? args[i] : null;
        return value == null ? null : String.valueOf(value).trim().toLowerCase(Locale.ROOT);
    }

    @Override
    protected void onAcquire(Object owner, Object[] args, int declaration, String returnType, Object returned,
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
        String domain = domainOf(args, declaration);
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
        Delivery delivery = deliveries.get();
        if (delivery == null) {
            delivery = new Delivery();
            deliveries.set(delivery);
        }
        delivery.pendingSlot = slot;
    }

    @Override
    protected boolean onRelease(Object owner, Object[] args, int declaration) {
        if (owner == null || AgentThread.isCurrent()) {
            return false; // the agent's own call (a recovery, counted already; an operator's release): let it through
        }
        slotOwners.saw(owner);
        String domain = domainOf(args, declaration);
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
            Delivery delivery = deliveries.get();
            if (delivery != null && delivery.pendingSlot == which[0]) {
                delivery.pendingSlot = null;
            }
        }
        return r == SlotBook.Release.ALREADY_RECOVERED;
    }

    // ---- the reaper's side ---------------------------------------------------------------------------------------

    /** Takes every slot whose socket ended since the last call, linked through {@link #nextEndedSlot(Slot)}. */
    public Slot takeEndedSlots() {
        return endedSlots.getAndSet(null);
    }

    public static Slot nextEndedSlot(Slot s) {
        Slot next = s.nextEnded;
        s.nextEnded = null;
        return next;
    }

    /** Whether {@code s} is still tied to an ended socket and not given back; when its socket ended. */
    public boolean stillHeld(Slot s) {
        return s.state() == Slot.BOUND;
    }

    public long endedNanos(Slot s) {
        return s.endedNanos;
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

    /**
     * The reaper is about to sleep until {@code wakeNanos}. Returns false if a connection due sooner was added
     * meanwhile: its connect may have read the previous wake-up time and not woken the reaper, so it must look again.
     * (A connect reads the wake-up time after adding its connection, and this reads the deadlines after publishing
     * it, so at least one of the two sees the other.)
     */
    public boolean reaperSleepsUntil(long wakeNanos) {
        reaperWakesAt = wakeNanos;
        Conn first = deadlines.first();
        return first == null || first.deadlineNanos - wakeNanos >= 0;
    }

    /** Removes and returns the next connection whose deadline has passed at {@code nowNanos}, or null. */
    public Conn pollDue(long nowNanos) {
        return deadlines.pollDue(nowNanos);
    }

    /** Nanoseconds until the next deadline, or {@code Long.MAX_VALUE} when nothing awaits a greeting. */
    public long nanosToNextDeadline(long nowNanos) {
        Conn c = deadlines.first();
        return c == null ? Long.MAX_VALUE : Math.max(0L, c.deadlineNanos - nowNanos);
    }

    /** Whether the connection still waits for its greeting. */
    public boolean awaiting(Conn c) {
        return c.state() == Conn.AWAITING;
    }

    /**
     * Notes that {@code c} passed its deadline. True only the first time: a connection is counted overdue once, and
     * the monitor-mode decision is logged once, however often it is looked at again.
     */
    public boolean overdue(Conn c) {
        if (c.reported) {
            return false;
        }
        c.reported = true;
        c.destination.onOverdue();
        totals.onOverdue();
        return true;
    }

    /** Puts an overdue connection that was not reaped back in line, to be looked at again at {@code deadline}. */
    public void recheckAt(Conn c, long deadlineNanos) {
        if (c.state() == Conn.AWAITING) {
            c.deadlineNanos = deadlineNanos;
            deadlines.add(c);
        }
    }

    /**
     * Claims {@code c} for reaping; false if its greeting arrived or it ended meanwhile. The caller then closes the
     * socket and calls {@link #reaped(Conn)}.
     */
    public boolean beginReap(Conn c) {
        if (!c.move(Conn.AWAITING, Conn.REAPING)) {
            return false;
        }
        c.reapedFlag = true;
        c.destination.onReap();
        totals.onReap();
        return true;
    }

    /** The socket of {@code c}, or null if the host dropped it without closing it. */
    public Socket socketOf(Conn c) {
        return c.get();
    }

    /** Ends a connection whose socket the reaper has just closed; a racing close hook makes this a no-op. */
    public void reaped(Conn c) {
        end(c, c.get() == null);
    }

    /** Ends connections the host closed or dropped, and takes them out of the table. Reaper thread only. */
    public void housekeep() {
        for (Conn c = ended.getAndSet(null); c != null; ) {
            Conn next = c.nextEnded;
            c.nextEnded = null;
            unlink(c);
            c = next;
        }
        for (Reference<? extends Socket> r; (r = collected.poll()) != null; ) {
            Node n = (Node) r;
            if (n instanceof Conn && end((Conn) n, true)) {
                events.abandoned((Conn) n);
            }
            table.unlink(n);
        }
    }

    private void unlink(Conn c) {
        table.unlink(c);
        Alias a = c.alias;
        if (a != null) {
            table.unlink(a);
        }
    }

    /** Ends {@code c} once, whoever calls first: a close, the reaper, or the garbage collector. */
    private boolean end(Conn c, boolean abandoned) {
        while (true) {
            int s = c.state();
            if (s == Conn.CLOSED || s == Conn.ABANDONED) {
                return false;
            }
            if (c.move(s, abandoned ? Conn.ABANDONED : Conn.CLOSED)) {
                if (s == Conn.AWAITING) {
                    deadlines.remove(c);
                }
                c.destination.onEnd(s, abandoned);
                totals.onEnd(s, abandoned);
                Slot slot = c.slot;
                if (slot != null && slot.state() == Slot.BOUND) {
                    slot.endedNanos = System.nanoTime();
                    Slot top;
                    do {
                        top = endedSlots.get();
                        slot.nextEnded = top;
                    } while (!endedSlots.compareAndSet(top, slot));
                }
                Conn head;
                do {
                    head = ended.get();
                    c.nextEnded = head;
                } while (!ended.compareAndSet(head, c));
                return true;
            }
        }
    }

    // ---- self-test and views ---------------------------------------------------------------------------------------

    /** Marks {@code socket} as the self-test's probe: its hooks are recorded, never tracked. */
    public void probe(Socket socket) {
        this.probe = socket;
    }

    /** Which probe hooks fired, as {@link #SAW_CONNECT} | {@link #SAW_READ} | {@link #SAW_CLOSE} bits. */
    public int probeSeen() {
        return probeSeen;
    }

    /** Counters of every destination, by name. */
    public Map<String, Map<String, Long>> destinations() {
        return destinations.snapshot();
    }

    /** Counters summed over every destination. */
    public Map<String, Long> totals() {
        return totals.snapshot();
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

    // ---- for operators ---------------------------------------------------------------------------------------------

    /** The objects the host called its declared slot methods on, for an operator's release. */
    public SlotOwners slotOwners() {
        return slotOwners;
    }

    /** Who hears of reaps, recovered slots and abandoned sockets. */
    public void events(Events e) {
        this.events = e == null ? Events.NONE : e;
    }

    public Events events() {
        return events;
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
     * Moves every connection still awaiting its greeting to the deadline now in force (after an operator changed a
     * greeting timeout), so a change applies to existing connections as well as new ones.
     */
    public void reschedule() {
        long now = System.nanoTime();
        for (Conn c : live()) {
            if (c.state() != Conn.AWAITING) {
                continue;
            }
            deadlines.remove(c);
            c.deadlineNanos = c.connectedNanos + policy.bannerTimeoutNanos(c.destination.name());
            c.reported = false;
            if (c.state() == Conn.AWAITING) {
                deadlines.add(c);
            }
        }
        Thread r = reaper;
        if (r != null) {
            java.util.concurrent.locks.LockSupport.unpark(r);
        }
    }

    // ---- connections the hooks never saw ---------------------------------------------------------------------------

    /** Records a connection the discovery found blocked; it shows in the views from now on. */
    public Found found(String destination, String remote, String threadName, String foundAt) {
        Found f = new Found(ids.incrementAndGet(), destinations.of(destination), remote, threadName, foundAt);
        found.add(f);
        return f;
    }

    /** {@code f}'s read ended, or its socket closed, without a rescue. */
    public void lost(Found f) {
        found.remove(f);
    }

    /** {@code f} was rescued: counted as a reap and a rescue, under its destination and in the totals. */
    public void rescued(Found f) {
        if (found.remove(f)) {
            f.destination.onRescue();
            totals.onRescue();
        }
    }

    /** The found connections not yet rescued or ended. */
    public List<Found> foundBlocked() {
        return new ArrayList<Found>(found);
    }

    /** Who hears of declared slot releases that match no slot the agent saw (a rescued thread's), or null. */
    public void releaseWatch(ReleaseWatch w) {
        this.releaseWatch = w;
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

    /** Whether {@code c} has passed its deadline and still awaits its greeting. */
    public boolean overdueNow(Conn c, long nowNanos) {
        return c.state() == Conn.AWAITING && c.deadlineNanos - nowNanos <= 0;
    }
}

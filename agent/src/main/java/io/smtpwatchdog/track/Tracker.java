package io.smtpwatchdog.track;

import io.smtpwatchdog.bridge.Bridge;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;

/**
 * Receives every socket and channel hook and keeps the life of each tracked SMTP connection: a
 * {@code java.net.Socket}'s, or a {@code java.nio.channels.SocketChannel}'s (blocking or not, or through its socket
 * adaptor), kept by the identity of whichever the host connected.
 *
 * <p>Its one job is that state machine and its deadlines. Which delivery a thread is in is {@link Attribution}'s,
 * the host's slots are {@link SlotLedger}'s, and what operators see is {@link Views}'; the hooks reach all of them
 * through this class only because the bridge has a single receiver.
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
    public static final int SAW_WRITE = 8;
    public static final int SAW_CHANNEL_CONNECT = 16;
    public static final int SAW_CHANNEL_FINISH = 32;
    public static final int SAW_CHANNEL_CLOSE = 64;

    private static volatile Tracker current;

    private final Policy policy;
    private final Destinations destinations;
    private final Destination totals = new Destination("(all)");
    private final ConnTable table = new ConnTable();
    private final Deadlines deadlines = new Deadlines();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<Object>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicReference<Conn> ended = new AtomicReference<Conn>();
    private final Attribution attribution = new Attribution();
    private final SlotLedger slots;
    private final Views views;
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
    private final BufferBytes bufferBytes = new BufferBytes();
    private final Partings partings = new Partings();
    private final MailServers mailServers = new MailServers();
    private volatile java.util.function.Predicate<Object> inputEnder;
    /** Where a channel's bytes go once {@link BufferBytes} has them as an array: what the client read, or wrote. */
    private final BufferBytes.Sink channelBytes = (c, b, off, n, read) -> {
        if (read) {
            read(c, b, off, n, false);
        } else {
            wrote(c, b, off, n, false);
        }
    };
    private volatile Object probe;
    private volatile int probeSeen;

    public Tracker(Policy policy, int maxDestinations) {
        this.policy = policy;
        this.destinations = new Destinations(maxDestinations);
        this.slots = new SlotLedger(destinations, totals, attribution);
        this.views = new Views(table, destinations, totals, found);
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

    /** Per-thread delivery attribution, and the operator's declarations it reads domains by. */
    public Attribution attribution() {
        return attribution;
    }

    /** The host's slots: taken, tied to sockets, released or given back. */
    public SlotLedger slots() {
        return slots;
    }

    /** What operators see of the connections and counters. */
    public Views views() {
        return views;
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
        connect(socket, endpoint, thrown, socket instanceof SSLSocket);
    }

    @Override
    protected void onChannelConnect(SocketChannel channel, SocketAddress remote, Throwable thrown) {
        if (channel == probe) {
            // The probe's connect and finishConnect both fail (no address, nothing pending): that is the exit.
            probeSeen |= channel.isConnectionPending() || remote != null ? SAW_CHANNEL_CONNECT : SAW_CHANNEL_FINISH;
            return;
        }
        if (policy.channelsVisible()) {
            connect(channel, remote, thrown, false);
        }
    }

    /** {@code endpoint}: the host's socket or channel. */
    private void connect(Object socket, SocketAddress endpoint, Throwable thrown, boolean tls) {
        if (!(endpoint instanceof InetSocketAddress) || AgentThread.isCurrent()) {
            return;
        }
        InetSocketAddress remote = (InetSocketAddress) endpoint;
        Delivery delivery = attribution.current();
        boolean delivering = delivery != null && delivery.active();
        boolean named = !delivering && mailServers.knows(remote);
        if (!delivering && !named && !policy.watches(remote.getPort())) {
            return; // not an SMTP port, and no delivery or mail client says otherwise
        }
        // A connection a mail client opened for a send takes that send's destination, in the order they were opened.
        String known = delivering ? delivery.destination() : named ? mailServers.next(remote) : null;
        if (known == null) {
            known = remote.getHostString();
            int domains = delivering ? delivery.recipientDomains() : 0;
            if (domains > 1) {
                known = known + " (" + domains + " recipient domains)";
            }
        }
        Destination d = destinations.of(known);
        if (thrown != null) {
            if (socket instanceof Socket ? ((Socket) socket).isConnected() : ((SocketChannel) socket).isConnected()) {
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
                tls);
        if (policy.captureStacks()) {
            c.openedAt = hostFrames(new Throwable().getStackTrace());
        }
        slots.bind(delivery, c);
        d.onConnect();
        totals.onConnect();
        table.add(c);
        deadlines.add(c);
        boolean wake = c.deadlineNanos - reaperWakesAt < 0;
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
        close(socket);
    }

    @Override
    protected void onChannelClose(SocketChannel channel) {
        if (channel == probe) {
            probeSeen |= SAW_CHANNEL_CLOSE;
            return;
        }
        close(channel);
    }

    private void close(Object socket) {
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
        if (totals.open() == 0) {
            return;
        }
        Conn c = table.find(socket);
        if (c != null) {
            read(c, buffer, offset, n, decrypted);
        }
    }

    @Override
    protected void onChannelRead(SocketChannel channel, ByteBuffer buffer, int n) {
        if (totals.open() == 0) {
            return;
        }
        Conn c = table.find(channel);
        if (c != null && wantsBytes(c)) {
            bufferBytes.feed(buffer, buffer.position() - n, n, c, true, channelBytes);
        }
    }

    @Override
    protected int onChannelEnd(SocketChannel channel, ByteBuffer buffer) {
        return partings.give(channel, buffer);
    }

    /**
     * Has {@code channel}'s client read {@code reply} in place of its end of stream, once; see {@link Partings}. The
     * reaper calls this before it ends the channel's input, and {@link #partingDone} once its grace is over.
     */
    public void parting(SocketChannel channel, byte[] reply) {
        partings.add(channel, reply);
    }

    public void partingDone(SocketChannel channel) {
        partings.remove(channel);
    }

    /**
     * Ends the input of a host's channel as a peer's close would, at the socket, without the channel knowing: its
     * selector loop then reads the end of the stream through its normal path (a channel's own {@code shutdownInput}
     * would tell Netty its input is already shut, and it would never read). Set by the discovery, which may reach
     * into the JDK; null when it could not.
     */
    public void inputEnder(java.util.function.Predicate<Object> ender) {
        this.inputEnder = ender;
    }

    public java.util.function.Predicate<Object> inputEnder() {
        return inputEnder;
    }

    @Override
    protected void onChannelWriting(SocketChannel channel, ByteBuffer buffer) {
        if (totals.inSession() == 0) {
            return;
        }
        Conn c = table.find(channel);
        if (c != null && channel.isBlocking()) { // it writes all of them: take them before they leave
            bufferBytes.feed(buffer, buffer.position(), buffer.remaining(), c, false, channelBytes);
        }
    }

    @Override
    protected void onChannelWritten(SocketChannel channel, ByteBuffer buffer, int n) {
        if (totals.inSession() == 0) {
            return;
        }
        Conn c = table.find(channel);
        if (c != null && !channel.isBlocking()) {
            bufferBytes.feed(buffer, buffer.position() - n, n, c, false, channelBytes);
        }
    }

    @Override
    protected void onChannelBuffers(SocketChannel channel, ByteBuffer[] buffers, int offset, int length,
                                    boolean read) {
        if (totals.open() == 0 || offset < 0 || length < 0 || length > buffers.length - offset) {
            return;
        }
        Conn c = table.find(channel);
        if (c == null) {
            return;
        }
        if (!read && channel.isBlocking()) {
            for (int i = offset; i < offset + length; i++) {
                bufferBytes.feed(buffers[i], buffers[i].position(), buffers[i].remaining(), c, false, channelBytes);
            }
            return;
        }
        bufferBytes.starts(c, buffers, offset, length);
    }

    @Override
    protected void onChannelMoved(SocketChannel channel, ByteBuffer[] buffers, int offset, int length, long n,
                                  boolean read) {
        if (totals.open() == 0 || offset < 0 || length < 0 || length > buffers.length - offset) {
            return;
        }
        Conn c = table.find(channel);
        if (c != null && (read || !channel.isBlocking())) {
            bufferBytes.moved(c, buffers, offset, length, read, channelBytes);
        }
    }

    @Override
    protected void onAdaptorBytes(SocketChannel channel, byte[] buffer, int offset, int n, boolean read) {
        if (read) {
            if (totals.open() == 0) {
                return;
            }
            Conn c = table.find(channel);
            if (c != null) {
                read(c, buffer, offset, n, false);
            }
        } else {
            wrote(channel, buffer, offset, n, false);
        }
    }

    /** Whether a read on {@code c} has anything to look at: its greeting, or its session's replies. */
    private static boolean wantsBytes(Conn c) {
        int state = c.state();
        return state == Conn.AWAITING || state == Conn.IN_SESSION && c.session != null;
    }

    /** {@code n} bytes {@code c}'s client read: decrypted ones, or the wire's. */
    private void read(Conn c, byte[] buffer, int offset, int n, boolean decrypted) {
        int state = c.state();
        if (state == Conn.IN_SESSION) {
            Session session = c.session;
            if (session != null && c.tls == decrypted) {
                session.read(buffer, offset, n, !decrypted);
            }
            return;
        }
        if (state != Conn.AWAITING) {
            return;
        }
        if (!decrypted && !c.tls && c.greeting == 0 && isTlsRecord(buffer[offset])) {
            // A greeting starts with a digit; a TLS record type byte means TLS over this socket that the layering
            // hook did not see. Its greeting is then invisible here, and it must not be reaped for that.
            c.tls = true;
            if (!(c.get() instanceof Socket)) {
                // A channel's TLS (an SSLEngine's) decrypts where no hook sees it: its wait is over, unseen, and
                // without a session (its replies cannot be seen either).
                inSession(c);
                return;
            }
        }
        if (c.tls != decrypted) {
            return;
        }
        int g = Greeting.feed(c.greeting, buffer, offset, n);
        c.greeting = g;
        if (Greeting.isDone(g)) {
            greeted(c);
        }
    }

    /** The greeting of {@code c} ended: its session starts, with its reply waits if the write hook is proven. */
    private void greeted(Conn c) {
        if (policy.repliesVisible()) {
            // Before the move, so the client's first command, written once its read returns, finds it.
            c.session = new Session();
        }
        inSession(c);
    }

    private void inSession(Conn c) {
        if (c.move(Conn.AWAITING, Conn.IN_SESSION)) {
            deadlines.remove(c);
            c.destination.onGreeting();
            totals.onGreeting();
        }
    }

    /**
     * A client is about to write to a socket: the commands it sends on a tracked connection after the greeting start
     * the waits for their replies. Costs a volatile read while no tracked connection is in session, and the table
     * walk of a read otherwise.
     */
    @Override
    protected void onWrite(Socket socket, byte[] buffer, int offset, int n, boolean plaintext) {
        if (socket == probe) {
            probeSeen |= SAW_WRITE;
            return;
        }
        wrote(socket, buffer, offset, n, plaintext);
    }

    private void wrote(Object socket, byte[] buffer, int offset, int n, boolean plaintext) {
        if (totals.inSession() == 0 || offset < 0 || n > buffer.length - offset) {
            return;
        }
        Conn c = table.find(socket);
        if (c != null) {
            wrote(c, buffer, offset, n, plaintext);
        }
    }

    /** {@code c}'s client is about to write {@code n} bytes: the commands of its session. */
    private void wrote(Conn c, byte[] buffer, int offset, int n, boolean plaintext) {
        if (c.tls != plaintext) {
            return;
        }
        Session session = c.session;
        if (session != null && c.state() == Conn.IN_SESSION) {
            session.wrote(buffer, offset, n);
        }
    }

    /** At most 32 frames of the host's, starting at its call of connect: the agent's own frames tell nothing. */
    private static StackTraceElement[] hostFrames(StackTraceElement[] all) {
        int from = 0;
        while (from < all.length && (all[from].getClassName().startsWith("io.smtpwatchdog.track.")
                || all[from].getClassName().startsWith("io.smtpwatchdog.bridge.")
                || all[from].getClassName().startsWith("sun.nio.ch.")
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

    // The bridge has one receiver, so delivery and slot hooks arrive here and pass straight on.

    @Override
    protected void onDelivery(String destination, boolean entering) {
        attribution.onDelivery(destination, entering);
    }

    /** A mail client's send asks for a connection; see {@link Bridge#enteredMailSend(Object)}. */
    @Override
    protected void onMailSend(Object message) {
        java.util.List<Object> all = new java.util.ArrayList<Object>();
        for (String getter : new String[] {"getTo", "getCc", "getBcc"}) {
            try {
                Object list = message.getClass().getMethod(getter).invoke(message);
                if (list instanceof java.util.Collection) {
                    all.addAll((java.util.Collection<?>) list);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // a message of a version that reads otherwise: its recipients say nothing
            }
        }
        attribution.onDeliveryTo(all.toArray());
    }

    /** A mail client opens a connection to the server {@code config} names; see {@link Bridge#mailConnecting}. */
    @Override
    protected void onMailConnecting(Object config) {
        Object host;
        Object port;
        try {
            host = config.getClass().getMethod("getHostname").invoke(config);
            port = config.getClass().getMethod("getPort").invoke(config);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return; // a config of a version that reads otherwise: its connections count on the SMTP ports only
        }
        if (host == null || !(port instanceof Integer)) {
            return;
        }
        String destination = null;
        Delivery d = attribution.current();
        if (d != null && d.active()) {
            destination = d.destination();
            if (destination == null && d.recipientDomains() > 1) {
                destination = host + " (" + d.recipientDomains() + " recipient domains)";
            }
        }
        if (!mailServers.opening(String.valueOf(host), (Integer) port, destination)) {
            warnTooManyServers();
        }
    }

    private volatile boolean warnedServers;

    private void warnTooManyServers() {
        if (!warnedServers) {
            warnedServers = true;
            org.slf4j.LoggerFactory.getLogger("smtp-watchdog").warn("more than {} mail servers were named by mail "
                    + "clients; connections to the others are tracked only on the SMTP ports", MailServers.MAX_SERVERS);
        }
    }

    @Override
    protected void onDeliveryTo(Object[] recipients) {
        attribution.onDeliveryTo(recipients);
    }

    @Override
    protected String domainOf(Object[] args, int declaration) {
        return attribution.domainOf(args, declaration);
    }

    @Override
    protected void onAcquire(Object owner, Object[] args, int declaration, String returnType, Object returned,
                             Throwable thrown) {
        slots.onAcquire(owner, args, declaration, returnType, returned, thrown);
    }

    @Override
    protected boolean onRelease(Object owner, Object[] args, int declaration) {
        return slots.onRelease(owner, args, declaration);
    }

    // ---- the reaper's side ---------------------------------------------------------------------------------------

    /**
     * The reaper is about to sleep until {@code wakeNanos}. Returns false if a connection due sooner was added
     * meanwhile: its connect may have read the previous wake-up time and not woken the reaper, so it must look again.
     * (A connect reads the wake-up time after adding its connection, and this reads the deadlines after publishing
     * it, so at least one of the two sees the other.)
     */
    public boolean reaperSleepsUntil(long wakeNanos) {
        reaperWakesAt = wakeNanos;
        long earliest = deadlines.earliest();
        return earliest == Long.MAX_VALUE || earliest - wakeNanos >= 0;
    }

    /**
     * Sorts the connections queued since the last look by their deadlines, dropping those greeted or ended meanwhile.
     * Reaper thread only, once per look, before {@link #pollDue}.
     */
    public void sortDeadlines() {
        deadlines.sort();
    }

    /** Removes and returns the next sorted connection whose deadline has passed at {@code nowNanos}, or null. */
    public Conn pollDue(long nowNanos) {
        return deadlines.pollDue(nowNanos);
    }

    /** Nanoseconds until the next deadline, or {@code Long.MAX_VALUE} when nothing awaits a greeting. */
    public long nanosToNextDeadline(long nowNanos) {
        long earliest = deadlines.earliest();
        return earliest == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0L, earliest - nowNanos);
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

    /**
     * Claims {@code c}, in session, for reaping because its oldest reply wait of {@code phase} is overdue; false if a
     * reply or a command changed its waits since the reaper read {@code waits}, or it ended meanwhile. The caller then
     * closes the socket and calls {@link #reaped(Conn)}.
     */
    public boolean beginReap(Conn c, long waits, Phase phase) {
        Session session = c.session;
        if (session == null || !session.claim(waits)) {
            return false;
        }
        if (!c.move(Conn.IN_SESSION, Conn.REAPING)) {
            return false;
        }
        c.reapedFlag = true;
        c.destination.onSessionReap(phase);
        totals.onSessionReap(phase);
        return true;
    }

    /** Counts {@code c} overdue in a reply wait; the caller reports each wait once (see {@link Conn#firstReport}). */
    public void overdueInSession(Conn c) {
        c.destination.onOverdue();
        totals.onOverdue();
    }

    /** The live connection of {@code socket} (or of the TLS socket layered over it), or null. */
    Conn connectionOf(Object socket) {
        return table.find(socket);
    }

    /** Visits every connection in session, for the reaper's look at reply waits; nothing when none is. */
    public void forEachInSession(java.util.function.Consumer<Conn> visitor) {
        if (totals.inSession() == 0) {
            return;
        }
        table.forEach(n -> {
            if (n instanceof Conn && ((Conn) n).state() == Conn.IN_SESSION) {
                visitor.accept((Conn) n);
            }
        });
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
        for (Reference<?> r; (r = collected.poll()) != null; ) {
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
                Session session = c.session;
                if (session != null) {
                    session.close();
                }
                c.destination.onEnd(s, abandoned);
                totals.onEnd(s, abandoned);
                slots.ended(c);
                Conn head;
                do {
                    head = ended.get();
                    c.nextEnded = head;
                } while (!ended.compareAndSet(head, c));
                return true;
            }
        }
    }

    // ---- self-test, and counters child test programs read ----------------------------------------------------------

    /** Marks {@code socket} (or a channel) as the self-test's probe: its hooks are recorded, never tracked. */
    public void probe(Object socket) {
        this.probe = socket;
    }

    /** Which probe hooks fired, as {@link #SAW_CONNECT} | {@link #SAW_READ} | {@link #SAW_CLOSE} bits. */
    public int probeSeen() {
        return probeSeen;
    }

    /** Counters of every destination, by name; kept here for child test programs, which call it by reflection. */
    public Map<String, Map<String, Long>> destinations() {
        return views.destinations();
    }

    /** Counters summed over every destination; kept here for child test programs, which call it by reflection. */
    public Map<String, Long> totals() {
        return views.totals();
    }

    // ---- for operators ---------------------------------------------------------------------------------------------

    /** Who hears of reaps, recovered slots and abandoned sockets. */
    public void events(Events e) {
        this.events = e == null ? Events.NONE : e;
    }

    public Events events() {
        return events;
    }

    /**
     * Moves every connection still awaiting its greeting to the deadline now in force (after an operator changed a
     * greeting timeout), so a change applies to existing connections as well as new ones.
     */
    public void reschedule() {
        long now = System.nanoTime();
        for (Conn c : views.live()) {
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
}

package io.smtpwatchdog.track;

import java.lang.ref.ReferenceQueue;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One tracked outbound SMTP connection, from connect to its end.
 *
 * <p>Its life is a one-way state machine changed only by compare-and-set, so that a close racing a reap, or a reap
 * racing an abandonment, is counted once: {@code AWAITING -> IN_SESSION | REAPING | CLOSED | ABANDONED},
 * {@code IN_SESSION -> REAPING | CLOSED | ABANDONED}, {@code REAPING -> CLOSED | ABANDONED}. In session, which reply
 * the client waits for is its {@link Session}'s.
 */
public final class Conn extends Node implements Comparable<Conn> {
    static final int AWAITING = 0;
    static final int IN_SESSION = 1;
    static final int REAPING = 2;
    static final int CLOSED = 3;
    static final int ABANDONED = 4;

    private static final String[] STATE_NAMES = {"awaiting-greeting", "in-session", "reaping", "closed", "abandoned"};
    private static final AtomicIntegerFieldUpdater<Conn> STATE =
            AtomicIntegerFieldUpdater.newUpdater(Conn.class, "state");

    final long id;
    final Destination destination;
    final InetSocketAddress remote;
    final long connectedNanos;
    final long connectedMillis;
    final String threadName;
    /** Decrypted reads carry the greeting: the socket is TLS, or a TLS socket was layered over it. */
    volatile boolean tls;
    /** When the reaper acts, in {@link System#nanoTime()} terms; changed only while out of the deadline set. */
    long deadlineNanos;
    /** {@link Greeting} parser state; only the thread reading the greeting touches it. */
    int greeting;
    /** The monitor-mode decision was logged already. */
    boolean reported;
    /** In the reaper's sorted deadlines ({@link Deadlines}), so a greeting must take it out; else only queued. */
    volatile boolean sorted;
    /** The TLS socket layered over this one, if any, so that it leaves the table with it. */
    volatile Alias alias;
    /** The host's stack when it connected, if stack capture is on; trimmed, our own frames left out. */
    volatile StackTraceElement[] openedAt;
    /** The host's slot tied to this connection, if a declared acquire took one for it; set before it is shared. */
    Slot slot;
    /** Its session after the greeting, when the write hook is proven; set before the move to IN_SESSION. */
    volatile Session session;
    /** Intrusive link in the tracker's stack of ended connections: pushing allocates nothing. */
    Conn nextEnded;

    private volatile int state = AWAITING;

    Conn(Object endpoint, ReferenceQueue<Object> queue, long id, Destination destination, InetSocketAddress remote,
         long timeoutNanos, boolean tls) {
        super(endpoint, queue);
        this.id = id;
        this.destination = destination;
        this.remote = remote;
        this.connectedNanos = System.nanoTime();
        this.connectedMillis = System.currentTimeMillis();
        this.threadName = Thread.currentThread().getName();
        this.deadlineNanos = connectedNanos + timeoutNanos;
        this.tls = tls;
    }

    @Override
    Conn conn() {
        return this;
    }

    int state() {
        return state;
    }

    boolean move(int from, int to) {
        return STATE.compareAndSet(this, from, to);
    }

    public long id() {
        return id;
    }

    public String destinationName() {
        return destination.name();
    }

    public String remoteAddress() {
        return remote.getHostString() + ":" + remote.getPort();
    }

    public String stateName() {
        return STATE_NAMES[state];
    }

    public long ageMillis() {
        return (System.nanoTime() - connectedNanos) / 1_000_000L;
    }

    public String threadName() {
        return threadName;
    }

    /** Whether it ended by a reap (for the slot recovery log line). */
    public boolean wasReaped() {
        return reapedFlag;
    }

    /** Set when the reaper claims it. */
    volatile boolean reapedFlag;

    /** The stack that opened it, one frame a line, or an empty string when stack capture is off. */
    public String openingStack() {
        StackTraceElement[] frames = openedAt;
        if (frames == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (StackTraceElement f : frames) {
            b.append(b.length() == 0 ? "" : "\n").append(f);
        }
        return b.toString();
    }

    public boolean isTls() {
        return tls;
    }

    /** The socket, or null if the host dropped it without closing it or it is a channel's. */
    public Socket socket() {
        Object e = get();
        return e instanceof Socket ? (Socket) e : null;
    }

    /**
     * What the host connected: a {@code java.net.Socket} or a {@code java.nio.channels.SocketChannel}; null if the
     * host dropped it without closing it.
     */
    public Object endpoint() {
        return get();
    }

    /** Whether it still waits for its greeting. */
    public boolean awaiting() {
        return state == AWAITING;
    }

    /** Whether it has passed its deadline at {@code nowNanos} and still awaits its greeting. */
    public boolean overdueAt(long nowNanos) {
        return state == AWAITING && deadlineNanos - nowNanos <= 0;
    }

    // ---- the reply it waits for, for the reaper and the views ----------------------------------------------------

    /** Its session's waits (see {@link #waiting(long)}), 0 before the greeting or without a session. */
    public long waits() {
        Session s = session;
        return s == null ? 0 : s.waits();
    }

    /** When its oldest reply wait started, in {@link System#nanoTime()} terms. */
    public long waitSinceNanos() {
        Session s = session;
        return s == null ? 0 : s.waitSinceNanos();
    }

    /** Whether {@code waits} holds a reply the client still waits for. */
    public static boolean waiting(long waits) {
        return Waits.count(waits) > 0 && !Waits.closed(waits);
    }

    /** Which deadline bounds the oldest wait in {@code waits}. */
    public static Phase phaseOf(long waits) {
        return Verb.phase(Waits.head(waits));
    }

    /** What the oldest wait in {@code waits} is for: {@code MAIL}, {@code end of data}, {@code TLS handshake}... */
    public static String verbOf(long waits) {
        return Verb.name(Waits.head(waits));
    }

    /** Whether the oldest wait in {@code waits} is a TLS handshake after STARTTLS, not a reply. */
    public static boolean awaitsTlsHandshake(long waits) {
        return Waits.head(waits) == Verb.TLS_HANDSHAKE;
    }

    /** True the first time the reaper reports the wait that started at {@code sinceNanos} (monitor mode). */
    public boolean firstReport(long sinceNanos) {
        Session s = session;
        if (s == null || s.reportedSince == sinceNanos) {
            return false;
        }
        s.reportedSince = sinceNanos;
        return true;
    }

    /** What it waits for now: {@code greeting}, a reply phase ({@code mail}, ...), or {@code idle}; empty once ended. */
    public String phase() {
        int s = state;
        if (s == AWAITING) {
            return Phase.GREETING.label;
        }
        if (s != IN_SESSION) {
            return "";
        }
        long q = waits();
        return waiting(q) ? phaseOf(q).label : "idle";
    }

    /** The verb whose reply it waits for, {@code greeting} before it, or empty. */
    public String waitingFor() {
        int s = state;
        if (s == AWAITING) {
            return "greeting";
        }
        long q = waits();
        return s == IN_SESSION && waiting(q) ? verbOf(q) : "";
    }

    /** How long its current wait has lasted: the greeting's or the oldest reply's; 0 while idle. */
    public long waitMillis() {
        int s = state;
        if (s == AWAITING) {
            return ageMillis();
        }
        long q = waits();
        return s == IN_SESSION && waiting(q) ? (System.nanoTime() - waitSinceNanos()) / 1_000_000L : 0;
    }

    /**
     * Whether no byte of the reply its client awaits (the greeting, or its session's) has been read, so that a whole
     * reply put in its stream now would be read as that reply.
     */
    public boolean atReplyStart() {
        Session s = session;
        return s == null ? greeting == 0 : s.atReplyStart();
    }

    /** Why the reaper closed it, or would have (monitor mode), as the log line says; set before it tells anyone. */
    private volatile String reapReason;

    public String reapReason() {
        return reapReason;
    }

    public void reapReason(String why) {
        this.reapReason = why;
    }

    /** What its host sees of the reap ("gets a SocketException", ...), as the log line says; set with the reason. */
    private volatile String reapEffect = "gets a SocketException";

    public String reapEffect() {
        return reapEffect;
    }

    public void reapEffect(String effect) {
        this.reapEffect = effect;
    }

    @Override
    public int compareTo(Conn o) {
        if (deadlineNanos != o.deadlineNanos) {
            return deadlineNanos - o.deadlineNanos < 0 ? -1 : 1;
        }
        return id < o.id ? -1 : (id == o.id ? 0 : 1);
    }
}

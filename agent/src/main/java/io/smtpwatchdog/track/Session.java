package io.smtpwatchdog.track;

import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * One connection after its greeting: which replies its client waits for, and since when the oldest has been awaited.
 *
 * <p>The writing thread adds a wait per command it sends (it is its own {@link Commands} parser); the reading thread ends the oldest at
 * each reply ({@link Replies}); the reaper reads both and claims a wait that outlived its deadline. While nothing is
 * awaited (a pooled connection between messages) no deadline runs. A reply dripped byte by byte does not move the
 * time its wait started: only a complete reply does. Created at the greeting, then nothing here allocates.
 */
final class Session extends Commands implements Commands.Sink {
    private static final AtomicLongFieldUpdater<Session> WAITS =
            AtomicLongFieldUpdater.newUpdater(Session.class, "waits");
    private static final byte HINT_NONE = 0;
    private static final byte HINT_MESSAGE = 1;
    private static final byte HINT_AUTH_LINE = 2;

    /** See {@link Waits}. */
    private volatile long waits;
    /** When the oldest wait started, {@link System#nanoTime()} terms; written before the wait is published. */
    private volatile long waitSinceNanos;
    /** {@link Replies} state of the reply being read. */
    private volatile int replyState;
    /** What a reply told the writer about its next bytes; the writer takes it at its next write. */
    private volatile byte hint;
    /** The wait the reaper last reported without closing (monitor mode), by its start; reaper thread only. */
    long reportedSince;

    /** The client wrote {@code n} bytes of its session (decrypted ones for TLS). */
    void wrote(byte[] b, int off, int n) {
        long q = waits;
        if (Waits.closed(q)) {
            return;
        }
        byte h = hint;
        if (h != HINT_NONE) {
            hint = HINT_NONE;
            if (h == HINT_MESSAGE) {
                startMessage();
            } else {
                expectAuthLine();
            }
        }
        if (Waits.head(q) == Verb.TLS_HANDSHAKE) {
            replied(0); // the client writes inside TLS: its handshake is done
        }
        feed(b, off, n, this);
    }

    /** The client read {@code n} bytes of its session; {@code raw} when they are the socket's own, not decrypted. */
    void read(byte[] b, int off, int n, boolean raw) {
        long q = waits;
        if (Waits.count(q) == 0 || Waits.closed(q)) {
            return; // nothing asked for: an unsolicited line, or the end of a reply already counted
        }
        int s = replyState;
        for (int i = off, end = off + n; i < end; i++) {
            byte c = b[i];
            if (raw && Replies.atLineStart(s) && c >= 20 && c <= 23) {
                blind(); // a TLS record where a reply should start: TLS the hooks did not see layered
                return;
            }
            s = Replies.step(s, c);
            if (Replies.isDone(s)) {
                int replyClass = Replies.replyClass(s);
                s = 0;
                if (replied(replyClass) <= 0) {
                    break;
                }
            }
        }
        replyState = s;
    }

    @Override
    public void sent(int verb) {
        while (true) {
            long q = waits;
            if (Waits.closed(q)) {
                return;
            }
            if (Waits.count(q) == 0) {
                waitSinceNanos = System.nanoTime();
                replyState = 0;
            }
            if (WAITS.compareAndSet(this, q, Waits.push(q, verb))) {
                return;
            }
        }
    }

    /**
     * Ends the oldest wait with a reply of class {@code replyClass} (its first digit); returns how many waits are
     * left, or -1 if none was waited for.
     */
    private int replied(int replyClass) {
        while (true) {
            long q = waits;
            if (Waits.closed(q) || Waits.count(q) == 0) {
                return -1;
            }
            long next = Waits.pop(q);
            if (Waits.count(next) > 0) {
                waitSinceNanos = System.nanoTime(); // the next reply is awaited from now, as if sent now
            }
            if (WAITS.compareAndSet(this, q, next)) {
                after(Waits.head(q), replyClass);
                return Waits.count(waits);
            }
        }
    }

    /** What a reply to {@code verb} means for what the client sends next. */
    private void after(int verb, int replyClass) {
        if (verb == Verb.DATA && replyClass == 3) {
            hint = HINT_MESSAGE;
        } else if (verb == Verb.AUTH && replyClass == 3) {
            hint = HINT_AUTH_LINE;
        } else if (verb == Verb.STARTTLS && replyClass == 2) {
            // Whether the TLS hooks will see the session go on is known only once the JDK's TLS classes are loaded,
            // which may be just now: the reaper asks before it judges this wait (see Conn#awaitsTlsHandshake).
            sent(Verb.TLS_HANDSHAKE);
        }
    }

    @Override
    public void blind() {
        close();
    }

    /** Stops every wait for good (the connection ended, or can no longer be followed); true if one was pending. */
    boolean close() {
        while (true) {
            long q = waits;
            if (Waits.closed(q)) {
                return false;
            }
            if (WAITS.compareAndSet(this, q, q | Waits.CLOSED)) {
                return Waits.count(q) > 0;
            }
        }
    }

    /** The waits as last published; see {@link Waits}. */
    /** Whether no byte of the reply now awaited has been read: a reply could start here. */
    boolean atReplyStart() {
        return replyState == 0;
    }

    long waits() {
        return waits;
    }

    long waitSinceNanos() {
        return waitSinceNanos;
    }

    /** Claims the waits {@code q} for a reap; false if a reply or a command changed them meanwhile. */
    boolean claim(long q) {
        return !Waits.closed(q) && WAITS.compareAndSet(this, q, q | Waits.CLOSED);
    }
}

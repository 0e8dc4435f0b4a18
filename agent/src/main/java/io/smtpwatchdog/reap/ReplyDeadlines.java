package io.smtpwatchdog.reap;

import io.smtpwatchdog.track.Conn;
import io.smtpwatchdog.track.Phase;
import io.smtpwatchdog.track.Policy;
import io.smtpwatchdog.track.Tracker;

import java.util.function.Consumer;

/**
 * The reaper's look at every connection in session: the oldest reply its client waits for, against the deadline of
 * that reply's phase for its destination. Reply waits are not kept in a sorted set as greetings are: a command and
 * its reply would then cost an insert and a removal (and their allocation) on the host's thread, while a walk of the
 * table on the reaper's own thread, a few times a second, costs the host nothing. The deadlines are minutes by
 * default, and a look at least every 250 ms keeps a reap within that of its deadline.
 */
final class ReplyDeadlines implements Consumer<Conn> {
    private final Tracker tracker;
    private final Policy policy;
    private final Reaper reaper;
    private long now;
    private long next;

    ReplyDeadlines(Tracker tracker, Reaper reaper) {
        this.tracker = tracker;
        this.policy = tracker.policy();
        this.reaper = reaper;
    }

    /** Acts on every overdue reply wait; returns nanoseconds until the next one falls due, or Long.MAX_VALUE. */
    long look(long nowNanos) {
        this.now = nowNanos;
        this.next = Long.MAX_VALUE;
        tracker.forEachInSession(this);
        return next;
    }

    @Override
    public void accept(Conn c) {
        long waits = c.waits();
        if (!Conn.waiting(waits)) {
            return; // idle: the client owes the server nothing, so nothing is due
        }
        long since = c.waitSinceNanos();
        if (c.waits() != waits) {
            return; // a reply or command moved it on while it was read: the next look sees it settled
        }
        if (Conn.awaitsTlsHandshake(waits) && !policy.tlsRepliesVisible()) {
            // Without the TLS hooks the session inside TLS is invisible, so the handshake's end would never be seen:
            // never judged. Asked at every look, since the hooks are in place only once the JDK loads its TLS classes
            // (which a first STARTTLS may be doing just now).
            return;
        }
        Phase phase = Conn.phaseOf(waits);
        long timeout = policy.timeoutNanos(phase, c.destinationName());
        if (timeout <= 0) {
            return; // this phase's deadline is off
        }
        long left = since + timeout - now;
        if (left > 0) {
            next = Math.min(next, left);
            return;
        }
        reaper.replyOverdue(c, waits, phase, since, timeout, now);
    }
}

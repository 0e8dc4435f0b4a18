package io.smtpwatchdog.reap;

import io.smtpwatchdog.config.Durations;
import io.smtpwatchdog.track.AgentThread;
import io.smtpwatchdog.track.Conn;
import io.smtpwatchdog.track.Destination;
import io.smtpwatchdog.track.Phase;
import io.smtpwatchdog.track.Policy;
import io.smtpwatchdog.track.Slot;
import io.smtpwatchdog.track.SlotLedger;
import io.smtpwatchdog.track.Tracker;
import io.smtpwatchdog.track.Views;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * The watchdog's own thread: sleeps until the next greeting deadline, then closes each connection still waiting; and
 * at least four times a second looks at the reply waits of connections in session ({@link ReplyDeadlines}).
 *
 * <p>A reap aborts the socket ({@code SO_LINGER} 0, so the close sends RST and nothing lingers in TIME_WAIT or
 * CLOSE_WAIT on either side); the host thread blocked in its greeting read gets a {@code SocketException} and the
 * host's own error handling runs. A channel owned by a selector loop is ended through its input instead, so that the
 * loop notices ({@link Abort}). In monitor mode the same decision is logged once and nothing is closed; the
 * connection is looked at again every second, so switching to enforce at runtime reaps it promptly.
 */
public final class Reaper implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("smtp-watchdog");
    /** How often ended and collected connections are cleaned up when no deadline is nearer. */
    private static final long HOUSEKEEPING_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How often slots in their grace period are looked at: grace periods are seconds. */
    private static final long SLOT_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** When the host counts as started even if it has made no SMTP connection yet. */
    private static final long HOST_STARTED_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Tracker tracker;
    private final Views views;
    /** The host's slots, for the give-back: read and claimed directly, not through the tracker. */
    private final SlotLedger slots;
    private final Policy policy;
    private final Runnable onHostStarted;
    private final Releaser releaser;
    /** Slots whose socket ended, waiting out the grace period; reaper thread only. */
    private final List<Slot> ending = new ArrayList<Slot>();
    /** How many of {@link #ending} monitor mode holds back, already reported; reaper thread only. */
    private int heldBackSlots;
    private final long startNanos = System.nanoTime();
    private boolean hostStarted;
    private final ReplyDeadlines replyDeadlines;
    private final Reports reports;
    private final Abort abort;
    /** When reply waits are looked at next; the walk over every connection in session is not for every wake-up. */
    private long nextReplyLook = System.nanoTime();
    private volatile boolean running = true;

    public Reaper(Tracker tracker) {
        this(tracker, null);
    }

    /** {@code onHostStarted} runs once, at the first SMTP connection or a minute after start, whichever is first. */
    public Reaper(Tracker tracker, Runnable onHostStarted) {
        this.tracker = tracker;
        this.views = tracker.views();
        this.slots = tracker.slots();
        this.policy = tracker.policy();
        this.onHostStarted = onHostStarted;
        this.releaser = new Releaser(tracker.attribution().declarations());
        this.replyDeadlines = new ReplyDeadlines(tracker, this);
        this.reports = new Reports(tracker);
        this.abort = new Abort(tracker);
    }

    /** Starts the reaper on a daemon thread of the agent's own. */
    public Thread start() {
        AgentThread t = new AgentThread("smtp-watchdog-reaper", this);
        tracker.reaperThread(t);
        t.start();
        return t;
    }

    @Override
    public void run() {
        while (running) {
            try {
                tracker.housekeep();
                long now = System.nanoTime();
                tracker.sortDeadlines();
                for (Conn c; (c = tracker.pollDue(now)) != null; ) {
                    decide(c, now);
                }
                if (now - nextReplyLook >= 0) {
                    long due = replyDeadlines.look(now);
                    nextReplyLook = now + Math.min(due, HOUSEKEEPING_NANOS);
                }
                reports.tellIfDue(System.nanoTime(), tracker.nanosToNextDeadline(System.nanoTime()));
                abort.closeDue(System.nanoTime());
                giveBackSlots(now);
                noticeHostStarted(now);
                long wait = Math.min(tracker.nanosToNextDeadline(System.nanoTime()), HOUSEKEEPING_NANOS);
                wait = Math.min(wait, Math.max(0L, nextReplyLook - System.nanoTime()));
                wait = Math.min(wait, reports.nanosToTell(System.nanoTime()));
                wait = Math.min(wait, abort.nanosToNext(System.nanoTime()));
                if (ending.size() > heldBackSlots) {
                    wait = Math.min(wait, SLOT_CHECK_NANOS); // held-back slots alone need no quick look
                }
                if (wait > 0 && tracker.reaperSleepsUntil(System.nanoTime() + wait)) {
                    LockSupport.parkNanos(this, wait);
                }
            } catch (Throwable t) {
                // The reaper must outlive its own bugs; a tight failure loop must not eat a core.
                LOG.error("reaper iteration failed; continuing", t);
                LockSupport.parkNanos(this, HOUSEKEEPING_NANOS);
            }
        }
        reports.tellIfDue(System.nanoTime(), Long.MAX_VALUE); // stopped: nothing held goes untold
    }

    private void decide(Conn c, long now) {
        if (!c.awaiting()) {
            return;
        }
        boolean firstTime = tracker.overdue(c);
        Object socket = c.endpoint();
        if (socket == null) {
            return; // collected without a close: housekeeping counts it as abandoned
        }
        String heldBack = heldBack(c);
        if (heldBack != null) {
            if (firstTime) {
                LOG.warn("would reap SMTP connection #{} to {} ({}): no greeting after {} ms (bannerTimeout {}); "
                                + "host thread '{}'; not closed: {}", c.id(), c.destinationName(), c.remoteAddress(),
                        c.ageMillis(), timeoutOf(c), c.threadName(), heldBack);
            }
            if (firstTime) {
                c.reapReason("no greeting after " + c.ageMillis() + " ms (bannerTimeout " + timeoutOf(c) + ")");
                tracker.events().reaped(c, true);
            }
            tracker.recheckAt(c, now + RECHECK_NANOS);
            return;
        }
        reap(c, socket, "no greeting after " + c.ageMillis() + " ms (bannerTimeout " + timeoutOf(c) + ")",
                () -> tracker.beginReap(c), true);
    }

    /**
     * {@code c}'s oldest reply wait, {@code waits} as the reaper read it, started at {@code sinceNanos} and outlived
     * its deadline {@code timeoutNanos} of {@code phase}: reaped, or in monitor mode reported once per wait.
     */
    void replyOverdue(Conn c, long waits, Phase phase, long sinceNanos, long timeoutNanos, long now) {
        Object socket = c.endpoint();
        if (socket == null) {
            return;
        }
        String why = "no reply to " + Conn.verbOf(waits) + " after " + (now - sinceNanos) / 1_000_000L + " ms ("
                + phase.option + " " + Durations.format(timeoutNanos / 1_000_000L) + ")";
        String heldBack = heldBack(c);
        if (heldBack != null) {
            if (c.firstReport(sinceNanos)) {
                tracker.overdueInSession(c);
                c.reapReason(why);
                LOG.warn("would reap SMTP connection #{} to {} ({}): {}; host thread '{}'; not closed: {}", c.id(),
                        c.destinationName(), c.remoteAddress(), why, c.threadName(), heldBack);
                tracker.events().reaped(c, true);
            }
            return;
        }
        reap(c, socket, why, () -> tracker.beginReap(c, waits, phase), true);
    }

    /** The greeting timeout in force for {@code c}'s destination, as an operator writes it. */
    private String timeoutOf(Conn c) {
        return Durations.format(policy.bannerTimeoutNanos(c.destinationName()) / 1_000_000L);
    }

    /**
     * Closes {@code c} now, whatever the mode: for the timed decisions and for operators' actions alike. {@code claim}
     * claims it from the wait it is reaped for, and fails when that wait ended a moment ago (the greeting or the reply
     * arrived) or the host closed it. A timed reap ({@code timed}, on the reaper thread) is told through
     * {@link Reports}, so that a burst of deadlines is not closed late behind its own lines; an operator's, on the
     * operator's thread, is told at once.
     */
    private boolean reap(Conn c, Object socket, String why, BooleanSupplier claim, boolean timed) {
        if (!claim.getAsBoolean()) {
            return false;
        }
        c.reapReason(why);
        String parting = c.atReplyStart() ? why : null;
        c.reapEffect(abort.effect(socket, parting != null));
        if (timed) {
            reports.nameBeforeClose(c);
        } else {
            Reports.name(c);
        }
        abort.abort(socket, parting);
        tracker.reaped(c);
        if (timed) {
            reports.reaped(c, System.nanoTime());
        } else {
            tracker.events().reaped(c, false);
        }
        return true;
    }

    /**
     * An operator's "reap overdue now": closes every connection past its deadline that still awaits its greeting,
     * even in monitor mode, since an operator asked. Returns how many were closed. Safe from any thread.
     */
    public int reapOverdueNow() {
        long now = System.nanoTime();
        int n = 0;
        for (Conn c : views.live()) {
            Object s = c.endpoint();
            if (s == null) {
                continue;
            }
            if (c.overdueAt(now) && reap(c, s, "overdue after " + c.ageMillis() + " ms; reaped at an operator's "
                    + "request", () -> tracker.beginReap(c), false)) {
                n++;
                continue;
            }
            long waits = c.waits();
            if (!Conn.waiting(waits) || (Conn.awaitsTlsHandshake(waits) && !policy.tlsRepliesVisible())) {
                continue;
            }
            Phase phase = Conn.phaseOf(waits);
            long timeout = policy.timeoutNanos(phase, c.destinationName());
            long waited = now - c.waitSinceNanos();
            if (timeout > 0 && waited >= timeout && reap(c, s, "no reply to " + Conn.verbOf(waits) + " after "
                    + waited / 1_000_000L + " ms; reaped at an operator's request",
                    () -> tracker.beginReap(c, waits, phase), false)) {
                n++;
            }
        }
        return n;
    }

    /**
     * An operator's "close this connection": a connection awaiting its greeting is reaped; one in session is aborted
     * too (the host sees its socket closed, as with any reset). Any thread. False if it had ended already.
     */
    public boolean closeNow(Conn c) {
        Object s = c.endpoint();
        if (s == null) {
            return false;
        }
        if (reap(c, s, "closed at an operator's request after " + c.ageMillis() + " ms", () -> tracker.beginReap(c),
                false)) {
            return true;
        }
        if (!views.live().contains(c)) {
            return false;
        }
        LOG.warn("closed SMTP connection #{} to {} ({}) in session at an operator's request; host thread '{}' {}",
                c.id(), c.destinationName(), c.remoteAddress(), c.threadName(), abort.effect(s, false));
        abort.abort(s, null);
        return true;
    }

    /**
     * Gives back each slot whose socket ended more than the grace period ago and that the host has not released:
     * the host's own error path forgot it (the KB's leaked per-domain count), and without this the domain stays
     * blocked until a restart.
     */
    private void giveBackSlots(long now) {
        for (Slot s = slots.takeEnded(); s != null; ) {
            Slot next = SlotLedger.nextEnded(s);
            ending.add(s);
            s = next;
        }
        long grace = policy.slotGraceNanos();
        for (Iterator<Slot> it = ending.iterator(); it.hasNext(); ) {
            Slot s = it.next();
            if (!s.stillHeld()) {
                it.remove(); // the host released it in time
                continue;
            }
            long since = now - s.endedNanos();
            if (since < grace) {
                continue;
            }
            Conn c = s.conn();
            String heldBack = monitorReason();
            if (heldBack != null) {
                // A dry run changes nothing in the host, its slot counter included. The slot stays in line: a
                // switch to enforce gives it back at the next look.
                if (s.firstHeldBackReport()) {
                    heldBackSlots++;
                    LOG.warn("would give back a slot of {}: connection #{} to {} was {} {} ms ago and the host had "
                                    + "not released its slot; not called: {}", s.domain(), c == null ? 0 : c.id(),
                            c == null ? "?" : c.remoteAddress(), c != null && c.wasReaped() ? "reaped" : "closed",
                            since / 1_000_000L, heldBack);
                }
                continue;
            }
            if (s.heldBackReported()) {
                heldBackSlots--; // reported held back before, and now given back
            }
            it.remove();
            Object owner = s.owner();
            if (owner == null || !slots.recover(s)) {
                continue;
            }
            String called = releaser.release(owner, s.domain());
            if (called != null) {
                tracker.events().slotGivenBack(s, called);
                LOG.warn("gave back a slot of {}: connection #{} to {} was {} {} ms ago and the host had not "
                                + "released its slot; called {}", s.domain(), c == null ? 0 : c.id(),
                        c == null ? "?" : c.remoteAddress(), c != null && c.wasReaped() ? "reaped" : "closed",
                        since / 1_000_000L, called);
            }
        }
    }

    private void noticeHostStarted(long now) {
        if (hostStarted || onHostStarted == null) {
            return;
        }
        Destination totals = views.totalCounters(); // live counters: no snapshot map four times a second
        if (totals.connects() + totals.failedConnects() > 0 || now - startNanos > HOST_STARTED_NANOS) {
            hostStarted = true;
            onHostStarted.run();
        }
    }

    /** Why this overdue connection is not closed, or null to close it. */
    private String heldBack(Conn c) {
        String monitor = monitorReason();
        if (monitor != null) {
            return monitor;
        }
        if (c.isTls() && !policy.tlsGreetingsVisible()) {
            return "TLS hooks are missing, so a TLS greeting would be invisible";
        }
        return null;
    }

    /** Why the watchdog acts on nothing now (it only reports): the mode asked for, or the self-test; null to act. */
    private String monitorReason() {
        if (!policy.enforceRequested()) {
            return "mode=monitor";
        }
        String forced = policy.forcedMonitorReason();
        return forced == null ? null : "monitor mode forced: " + forced;
    }

    /** Stops the loop; for tests and agent shutdown. */
    public void stop() {
        running = false;
    }
}

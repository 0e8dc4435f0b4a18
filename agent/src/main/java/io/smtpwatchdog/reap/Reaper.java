package io.smtpwatchdog.reap;

import io.smtpwatchdog.config.Durations;
import io.smtpwatchdog.track.AgentThread;
import io.smtpwatchdog.track.Conn;
import io.smtpwatchdog.track.Policy;
import io.smtpwatchdog.track.Tracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The watchdog's own thread: sleeps until the next greeting deadline, then closes each connection still waiting.
 *
 * <p>A reap aborts the socket ({@code SO_LINGER} 0, so the close sends RST and nothing lingers in TIME_WAIT or
 * CLOSE_WAIT on either side); the host thread blocked in its greeting read gets a {@code SocketException} and the
 * host's own error handling runs. In monitor mode the same decision is logged once and nothing is closed; the
 * connection is looked at again every second, so switching to enforce at runtime reaps it promptly.
 */
public final class Reaper implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("smtp-watchdog");
    /** How often ended and collected connections are cleaned up when no deadline is nearer. */
    private static final long HOUSEKEEPING_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Tracker tracker;
    private final Policy policy;
    private volatile boolean running = true;

    public Reaper(Tracker tracker) {
        this.tracker = tracker;
        this.policy = tracker.policy();
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
                for (Conn c; (c = tracker.pollDue(now)) != null; ) {
                    decide(c, now);
                }
                long wait = Math.min(tracker.nanosToNextDeadline(System.nanoTime()), HOUSEKEEPING_NANOS);
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                }
            } catch (Throwable t) {
                // The reaper must outlive its own bugs; a tight failure loop must not eat a core.
                LOG.error("reaper iteration failed; continuing", t);
                LockSupport.parkNanos(this, HOUSEKEEPING_NANOS);
            }
        }
    }

    private void decide(Conn c, long now) {
        if (!tracker.awaiting(c)) {
            return;
        }
        boolean firstTime = tracker.overdue(c);
        Socket socket = tracker.socketOf(c);
        if (socket == null) {
            return; // collected without a close: housekeeping counts it as abandoned
        }
        String heldBack = heldBack(c);
        if (heldBack != null) {
            if (firstTime) {
                LOG.warn("would reap SMTP connection #{} to {} ({}): no greeting after {} ms (bannerTimeout {}); "
                                + "host thread '{}'; not closed: {}", c.id(), c.destinationName(), c.remoteAddress(),
                        c.ageMillis(), Durations.format(policy.bannerTimeoutMillis()), c.threadName(), heldBack);
            }
            tracker.recheckAt(c, now + RECHECK_NANOS);
            return;
        }
        if (!tracker.beginReap(c)) {
            return; // the greeting arrived, or the host closed it, a moment ago
        }
        LOG.warn("reaped SMTP connection #{} to {} ({}): no greeting after {} ms (bannerTimeout {}); "
                        + "host thread '{}' gets a SocketException", c.id(), c.destinationName(), c.remoteAddress(),
                c.ageMillis(), Durations.format(policy.bannerTimeoutMillis()), c.threadName());
        abort(socket);
        tracker.reaped(c);
    }

    /** Why this overdue connection is not closed, or null to close it. */
    private String heldBack(Conn c) {
        if (!policy.enforceRequested()) {
            return "mode=monitor";
        }
        String forced = policy.forcedMonitorReason();
        if (forced != null) {
            return "monitor mode forced: " + forced;
        }
        if (c.isTls() && !policy.tlsGreetingsVisible()) {
            return "TLS hooks are missing, so a TLS greeting would be invisible";
        }
        return null;
    }

    private static void abort(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (Throwable ignored) {
            // already closed or not connected: close below still does what can be done
        }
        try {
            socket.close();
        } catch (Throwable t) {
            LOG.debug("closing a reaped socket failed", t);
        }
    }

    /** Stops the loop; for tests and agent shutdown. */
    public void stop() {
        running = false;
    }
}

package io.smtpwatchdog.jmx;

import io.smtpwatchdog.Version;
import io.smtpwatchdog.config.Durations;
import io.smtpwatchdog.reap.OperatorRelease;
import io.smtpwatchdog.reap.Reaper;
import io.smtpwatchdog.track.Conn;
import io.smtpwatchdog.track.Destination;
import io.smtpwatchdog.track.Events;
import io.smtpwatchdog.track.Found;
import io.smtpwatchdog.track.Phase;
import io.smtpwatchdog.track.Policy;
import io.smtpwatchdog.track.Slot;
import io.smtpwatchdog.track.Tracker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;

/**
 * The Watchdog MBean's behaviour. Setters and operations check every argument before they change anything, and say
 * what is wrong with an {@link IllegalArgumentException}: an operator's typo must never half-apply.
 */
final class WatchdogBean extends PhaseCounters implements WatchdogMXBean, Events {
    /** Notification types. */
    static final String REAPED = "smtpwatchdog.connection.reaped";
    static final String WOULD_REAP = "smtpwatchdog.connection.wouldReap";
    static final String SLOT_RECOVERED = "smtpwatchdog.slot.recovered";
    static final String ABANDONED = "smtpwatchdog.connection.abandoned";
    static final String RESCUED = "smtpwatchdog.connection.rescued";
    static final String WOULD_RESCUE = "smtpwatchdog.connection.wouldRescue";
    private static final long MAX_TIMEOUT_MILLIS = 24L * 60 * 60 * 1000;

    private final Tracker tracker;
    private final Policy policy;
    private final Reaper reaper;
    private final OperatorRelease operatorRelease;
    private final ObjectName name;
    private final HookStates hookStates;
    private final AtomicLong sequence = new AtomicLong();
    final NotificationBroadcasterSupport emitter = new NotificationBroadcasterSupport(
            new MBeanNotificationInfo(new String[] {REAPED, WOULD_REAP}, Notification.class.getName(),
                    "A connection was reaped (or, in monitor mode, would have been): its greeting was overdue."),
            new MBeanNotificationInfo(new String[] {SLOT_RECOVERED}, Notification.class.getName(),
                    "A host slot was given back on the host's behalf after its connection ended."),
            new MBeanNotificationInfo(new String[] {ABANDONED}, Notification.class.getName(),
                    "A socket was collected without being closed."),
            new MBeanNotificationInfo(new String[] {RESCUED, WOULD_RESCUE}, Notification.class.getName(),
                    "A connection opened before the agent was live was closed (or, in monitor mode, would have "
                            + "been): its thread stayed blocked reading it past the greeting timeout."));

    WatchdogBean(Tracker tracker, Reaper reaper, ObjectName name, HookStates hookStates) {
        this.tracker = tracker;
        this.policy = tracker.policy();
        this.reaper = reaper;
        this.operatorRelease = new OperatorRelease(tracker);
        this.name = name;
        this.hookStates = hookStates;
    }

    private Destination totals() {
        return tracker.views().totalCounters();
    }

    @Override
    Destination counters() {
        return totals();
    }

    @Override
    public String getVersion() {
        return Version.current();
    }

    @Override
    public String getMode() {
        return policy.enforceRequested() ? "enforce" : "monitor";
    }

    @Override
    public void setMode(String mode) {
        String m = mode == null ? "" : mode.trim().toLowerCase(Locale.ROOT);
        if (!m.equals("enforce") && !m.equals("monitor")) {
            throw new IllegalArgumentException("Mode must be enforce or monitor, not '" + mode + "'");
        }
        policy.enforce(m.equals("enforce"));
    }

    @Override
    public String getModeInForce() {
        String forced = policy.forcedMonitorReason();
        if (forced != null) {
            return "monitor (forced: " + forced + ")";
        }
        return getMode();
    }

    @Override
    public long getBannerTimeoutMillis() {
        return policy.bannerTimeoutMillis();
    }

    @Override
    public void setBannerTimeoutMillis(long millis) {
        checkTimeout(millis);
        policy.bannerTimeoutMillis(millis);
        tracker.reschedule();
    }

    private static void checkTimeout(long millis) {
        if (millis < 1 || millis > MAX_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException("a greeting timeout is 1 to " + MAX_TIMEOUT_MILLIS + " ms (24h), not "
                    + millis);
        }
    }

    @Override
    public Map<String, Long> getDestinationBannerTimeouts() {
        return policy.destinationBannerTimeouts();
    }

    @Override
    public long getTracked() {
        return totals().open();
    }

    @Override
    public long getAwaitingGreeting() {
        return totals().awaiting();
    }

    @Override
    public long getInSession() {
        return totals().inSession();
    }

    @Override
    public long getConnectsTotal() {
        return totals().connects();
    }

    @Override
    public long getClosesTotal() {
        return totals().closes();
    }

    @Override
    public long getReapedTotal() {
        return totals().reaped();
    }

    @Override
    public long getRescuedTotal() {
        return totals().rescued();
    }

    @Override
    public long getFoundBlocked() {
        return tracker.views().foundBlocked().size();
    }

    @Override
    public long getOverdueTotal() {
        return totals().overdue();
    }

    @Override
    public long getFailedConnectsTotal() {
        return totals().failedConnects();
    }

    @Override
    public long getAbandonedTotal() {
        return totals().abandoned();
    }

    @Override
    public long getSlotsHeld() {
        return totals().slotsHeld();
    }

    @Override
    public long getSlotsRecoveredTotal() {
        return totals().slotsRecovered();
    }

    @Override
    public Map<String, String> getHooks() {
        return hookStates.hooks.get();
    }

    @Override
    public Map<String, String> getDeclarations() {
        return hookStates.declarations.get();
    }

    @Override
    public Map<String, String> getLibraries() {
        return hookStates.libraries.get();
    }

    @Override
    public List<ConnectionInfo> getConnections() {
        List<ConnectionInfo> rows = new ArrayList<ConnectionInfo>();
        for (Conn c : tracker.views().live()) {
            rows.add(new ConnectionInfo(c));
        }
        for (Found f : tracker.views().foundBlocked()) {
            rows.add(new ConnectionInfo(f));
        }
        return rows;
    }

    @Override
    public int reapOverdueNow() {
        return reaper.reapOverdueNow();
    }

    @Override
    public boolean closeConnection(long id) {
        if (id < 1) {
            throw new IllegalArgumentException("connection ids start at 1, not " + id);
        }
        Conn c = tracker.views().connection(id);
        return c != null && reaper.closeNow(c);
    }

    @Override
    public void setDestinationBannerTimeout(String destination, long millis) {
        String d = checkDestination(destination);
        checkTimeout(millis);
        policy.destinationBannerTimeoutMillis(d, millis);
        tracker.reschedule();
    }

    @Override
    public boolean clearDestinationBannerTimeout(String destination) {
        boolean had = policy.clearDestinationBannerTimeout(checkDestination(destination));
        if (had) {
            tracker.reschedule();
        }
        return had;
    }

    @Override
    public Map<String, String> getReplyTimeouts() {
        return Timeouts.inForce(policy, null);
    }

    @Override
    public Map<String, Long> getDestinationTimeouts() {
        return policy.destinationTimeouts();
    }

    @Override
    public void setReplyTimeout(String option, String duration) {
        Phase phase = Timeouts.phase(option, false);
        policy.timeoutMillis(phase, Timeouts.millis(duration, phase)); // the reaper's next look uses it
    }

    @Override
    public void setDestinationTimeout(String destination, String option, String duration) {
        String d = checkDestination(destination);
        Phase phase = Timeouts.phase(option, true);
        policy.destinationTimeoutMillis(d, phase, Timeouts.millis(duration, phase));
        if (phase == Phase.GREETING) {
            tracker.reschedule();
        }
    }

    @Override
    public boolean clearDestinationTimeout(String destination, String option) {
        String d = checkDestination(destination);
        Phase phase = Timeouts.phase(option, true);
        boolean had = policy.clearDestinationTimeout(d, phase);
        if (had && phase == Phase.GREETING) {
            tracker.reschedule();
        }
        return had;
    }

    @Override
    public String releaseSlot(String domain, int count) {
        return operatorRelease.release(domain, count); // checks its arguments and says why it refuses
    }

    private static String checkDestination(String destination) {
        if (destination == null || destination.trim().isEmpty()) {
            throw new IllegalArgumentException("destination must be a domain or host name, not empty");
        }
        return destination.trim().toLowerCase(Locale.ROOT);
    }

    // ---- notifications, from the reaper thread --------------------------------------------------------------------

    private void send(String type, String message, Object userData) {
        Notification n = new Notification(type, name, sequence.incrementAndGet(), System.currentTimeMillis(), message);
        n.setUserData(userData);
        emitter.sendNotification(n);
    }

    @Override
    public void reaped(Conn c, boolean onlyReported) {
        send(onlyReported ? WOULD_REAP : REAPED, (onlyReported ? "would reap" : "reaped") + " connection #" + c.id()
                + " to " + c.destinationName() + " (" + c.remoteAddress() + "): " + c.reapReason() + "; host thread '"
                + c.threadName() + "'", c.id());
    }

    @Override
    public void slotGivenBack(Slot s, String called) {
        Conn c = s.conn();
        send(SLOT_RECOVERED, "gave back a slot of " + s.domain() + " (connection #" + (c == null ? 0 : c.id())
                + "); called " + called, s.domain());
    }

    @Override
    public void rescued(Found f, boolean onlyReported) {
        send(onlyReported ? WOULD_RESCUE : RESCUED, (onlyReported ? "would rescue" : "rescued") + " connection #"
                + f.id() + " to " + f.destinationName() + " (" + f.remoteAddress() + "), found at " + f.foundAt()
                + ", after its host thread '" + f.threadName() + "' was seen blocked reading it for "
                + f.blockedMillis() + " ms", f.id());
    }

    @Override
    public void abandoned(Conn c) {
        send(ABANDONED, "connection #" + c.id() + " to " + c.destinationName() + " (" + c.remoteAddress()
                + ") was dropped by the host without a close", c.id());
    }
}

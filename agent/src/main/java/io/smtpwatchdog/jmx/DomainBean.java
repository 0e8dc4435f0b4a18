package io.smtpwatchdog.jmx;

import io.smtpwatchdog.track.Destination;
import io.smtpwatchdog.track.Policy;
import io.smtpwatchdog.track.Tracker;

import java.util.Map;

/** One destination's MBean: live reads of its counters; only the oldest awaiting age comes from a shared walk. */
final class DomainBean extends PhaseCounters implements DomainMXBean {
    private final Destination d;
    private final Tracker tracker;
    private final Policy policy;

    DomainBean(Destination d, Tracker tracker) {
        this.d = d;
        this.tracker = tracker;
        this.policy = tracker.policy();
    }

    @Override
    Destination counters() {
        return d;
    }

    @Override
    public String getName() {
        return d.name();
    }

    @Override
    public long getOpen() {
        return d.open();
    }

    @Override
    public long getAwaitingGreeting() {
        return d.awaiting();
    }

    @Override
    public long getInSession() {
        return d.inSession();
    }

    @Override
    public long getOldestAwaitingMillis() {
        return d.awaiting() == 0 ? 0 : tracker.views().oldestAwaitingMillis(d);
    }

    @Override
    public long getConnectsTotal() {
        return d.connects();
    }

    @Override
    public long getClosesTotal() {
        return d.closes();
    }

    @Override
    public long getReapedTotal() {
        return d.reaped();
    }

    @Override
    public long getRescuedTotal() {
        return d.rescued();
    }

    @Override
    public long getFailedConnectsTotal() {
        return d.failedConnects();
    }

    @Override
    public long getAbandonedTotal() {
        return d.abandoned();
    }

    @Override
    public long getSlotsHeld() {
        return d.slotsHeld();
    }

    @Override
    public long getSlotsRecoveredTotal() {
        return d.slotsRecovered();
    }

    @Override
    public long getBannerTimeoutMillis() {
        return policy.bannerTimeoutNanos(d.name()) / 1_000_000L;
    }

    /** The reply deadlines in force for this destination: its own where an operator set one, else the global. */
    @Override
    public Map<String, String> getReplyTimeouts() {
        return Timeouts.inForce(policy, d.name());
    }
}

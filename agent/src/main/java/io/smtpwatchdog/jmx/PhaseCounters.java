package io.smtpwatchdog.jmx;

import io.smtpwatchdog.track.Destination;
import io.smtpwatchdog.track.Phase;

/** {@link ReapsByPhase} read live from one set of counters: a destination's, or the totals. */
abstract class PhaseCounters implements ReapsByPhase {
    /** The counters the attributes read. */
    abstract Destination counters();

    @Override
    public long getReapedGreetingTotal() {
        return counters().reaped(Phase.GREETING);
    }

    @Override
    public long getReapedCommandTotal() {
        return counters().reaped(Phase.COMMAND);
    }

    @Override
    public long getReapedMailTotal() {
        return counters().reaped(Phase.MAIL);
    }

    @Override
    public long getReapedRcptTotal() {
        return counters().reaped(Phase.RCPT);
    }

    @Override
    public long getReapedDataTotal() {
        return counters().reaped(Phase.DATA);
    }

    @Override
    public long getReapedDataEndTotal() {
        return counters().reaped(Phase.DATA_END);
    }
}

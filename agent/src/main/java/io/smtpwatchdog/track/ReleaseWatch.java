package io.smtpwatchdog.track;

/**
 * Hears the host's calls of a declared slot release, on the calling thread, except those that give back a slot the
 * agent saw that same thread take: a thread the agent rescued holds a slot the agent never saw taken, and whether it
 * gives that one back (not the slot of a delivery it took up afterwards) decides what the operator is told.
 */
public interface ReleaseWatch {
    /** Must return at once and never throw: it runs inside the host's release method. */
    void released(long threadId, String domain);
}

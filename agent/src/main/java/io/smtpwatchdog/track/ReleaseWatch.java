package io.smtpwatchdog.track;

/**
 * Hears every host call of a declared slot release, on the calling thread: a thread the agent rescued holds a slot
 * the agent never saw taken, and whether it gives it back decides what the operator is told.
 */
public interface ReleaseWatch {
    /** Must return at once and never throw: it runs inside the host's release method. */
    void released(long threadId, String domain);
}

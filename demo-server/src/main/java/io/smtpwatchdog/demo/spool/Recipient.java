package io.smtpwatchdog.demo.spool;

/**
 * One recipient of a spooled message and how far its delivery got. Kept per recipient, not per message, so
 * that after a restart a message goes again only to the recipients (and so the domains) still pending.
 */
public final class Recipient {
    /** Where a recipient stands. */
    public enum State {
        /** Not yet handed over to the next hop. */
        PENDING,
        /** The next hop answered 250 for it. */
        DELIVERED,
        /** Rejected for good, or given up on after the last attempt. */
        FAILED
    }

    private final String mailbox;
    private State state;
    private int attempts;

    Recipient(String mailbox, State state, int attempts) {
        this.mailbox = mailbox;
        this.state = state;
        this.attempts = attempts;
    }

    /** The mailbox, with its domain in lower case. */
    public String mailbox() {
        return mailbox;
    }

    /** The recipient's domain, which decides its queue and route. */
    public String domain() {
        return mailbox.substring(mailbox.lastIndexOf('@') + 1);
    }

    /** Where delivery stands. */
    public State state() {
        return state;
    }

    /** Delivery attempts made so far. */
    public int attempts() {
        return attempts;
    }

    void state(State state) {
        this.state = state;
    }

    void attempts(int attempts) {
        this.attempts = attempts;
    }
}

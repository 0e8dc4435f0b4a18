package io.smtpwatchdog.demo.spool;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A message held by the relay: its envelope, its content and the delivery state of each recipient.
 *
 * <p>Delivery workers for different domains may work on the same message at once, so every method
 * synchronizes on the message; {@link Spool#commit} does too, so a state and its file never disagree.
 */
public final class SpooledMessage {
    private final String id;
    private final long receivedAt;
    private final String from;
    private final List<Recipient> recipients;
    private final byte[] data;
    private boolean retired;

    SpooledMessage(String id, long receivedAt, String from, List<Recipient> recipients, byte[] data) {
        this.id = id;
        this.receivedAt = receivedAt;
        this.from = from;
        this.recipients = recipients;
        this.data = data;
    }

    /** The spool identifier; ids sort in the order messages were received. */
    public String id() {
        return id;
    }

    /** When the message was accepted, in epoch milliseconds. */
    public long receivedAt() {
        return receivedAt;
    }

    /** The reverse-path, empty for {@code <>}. */
    public String from() {
        return from;
    }

    /** The content as received, shared and not to be modified. */
    public byte[] data() {
        return data;
    }

    /** A snapshot of the recipients with their states. */
    public synchronized List<Recipient> recipients() {
        List<Recipient> copy = new ArrayList<>();
        for (Recipient r : recipients) {
            copy.add(new Recipient(r.mailbox(), r.state(), r.attempts()));
        }
        return copy;
    }

    /** Domains that still have recipients to deliver to, in recipient order. */
    public synchronized Set<String> pendingDomains() {
        Set<String> domains = new LinkedHashSet<>();
        for (Recipient r : recipients) {
            if (r.state() == Recipient.State.PENDING) {
                domains.add(r.domain());
            }
        }
        return domains;
    }

    /** The mailboxes in {@code domain} still to deliver to. */
    public synchronized List<String> pendingIn(String domain) {
        List<String> pending = new ArrayList<>();
        for (Recipient r : recipients) {
            if (r.state() == Recipient.State.PENDING && r.domain().equals(domain)) {
                pending.add(r.mailbox());
            }
        }
        return pending;
    }

    /** Counts one more attempt for the pending recipients of {@code domain}; returns the new count. */
    public synchronized int countAttempt(String domain) {
        int attempts = 0;
        for (Recipient r : recipients) {
            if (r.state() == Recipient.State.PENDING && r.domain().equals(domain)) {
                r.attempts(r.attempts() + 1);
                attempts = Math.max(attempts, r.attempts());
            }
        }
        return attempts;
    }

    /** Records the outcome for one recipient. */
    public synchronized void mark(String mailbox, Recipient.State state) {
        for (Recipient r : recipients) {
            if (r.mailbox().equals(mailbox) && r.state() == Recipient.State.PENDING) {
                r.state(state);
                return;
            }
        }
    }

    /** Whether any recipient in {@code domain} failed for good. */
    public synchronized boolean anyFailedIn(String domain) {
        for (Recipient r : recipients) {
            if (r.state() == Recipient.State.FAILED && r.domain().equals(domain)) {
                return true;
            }
        }
        return false;
    }

    synchronized boolean settled() {
        return recipients.stream().noneMatch(r -> r.state() == Recipient.State.PENDING);
    }

    synchronized boolean anyFailed() {
        return recipients.stream().anyMatch(r -> r.state() == Recipient.State.FAILED);
    }

    synchronized List<Recipient> recipientsForWriting() {
        return recipients;
    }

    synchronized boolean retired() {
        return retired;
    }

    synchronized void retire() {
        retired = true;
    }
}

package io.smtpwatchdog.track;

/**
 * What one host thread is doing for mail right now: inside which deliveries (declared delivery methods, mail
 * libraries' connects), for which destination, and which slot it took and has not yet tied to a socket.
 *
 * <p>Thread-confined: one per thread, reached through a {@code ThreadLocal}, so nothing here needs a lock. The
 * outermost known destination wins, because it is the most specific: a recipient domain known to
 * {@code Transport.send} or to a declared delivery method beats the relay host a library connects to. A send whose
 * recipients span several domains has no single destination; it only says how many, and the sockets connected inside
 * are counted under their host name with that number as a note, unless some other delivery names a destination.
 */
final class Delivery {
    private int depth;
    private int destinationDepth;
    private String destination;
    private int domainsDepth;
    private int recipientDomains;
    /** A slot this thread acquired and has not yet tied to a tracked socket. */
    Slot pendingSlot;

    void enter(String dest) {
        enter(dest, 0);
    }

    /** {@code domains} is how many recipient domains the delivery spans when they are more than one, else 0. */
    void enter(String dest, int domains) {
        depth++;
        if (destination == null && dest != null) {
            destination = dest;
            destinationDepth = depth;
        }
        if (recipientDomains == 0 && domains > 1) {
            recipientDomains = domains;
            domainsDepth = depth;
        }
    }

    void leave() {
        if (depth == 0) {
            return; // an exit without its entry: the hook went live in between
        }
        if (depth == destinationDepth) {
            destination = null;
            destinationDepth = 0;
        }
        if (depth == domainsDepth) {
            recipientDomains = 0;
            domainsDepth = 0;
        }
        depth--;
    }

    /** True while a delivery is on this thread's stack or a slot waits for its socket: connect whatever the port. */
    boolean active() {
        return depth > 0 || pendingSlot != null;
    }

    /** Where a socket connected now belongs: the delivery's destination, else the pending slot's domain, or null. */
    String destination() {
        if (destination != null) {
            return destination;
        }
        return pendingSlot != null ? pendingSlot.domain : null;
    }

    /** How many recipient domains the outermost delivery that knew several spans, or 0. */
    int recipientDomains() {
        return recipientDomains;
    }
}

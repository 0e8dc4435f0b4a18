package io.smtpwatchdog.demo.inbound;

import io.smtpwatchdog.demo.smtp.Envelope;

import java.io.IOException;

/** Where an SMTP session hands the messages it receives. */
public interface Inbox {
    /** Whether RCPT for a mailbox in {@code domain} is accepted at all (a relay only takes what it can route). */
    boolean acceptsDomain(String domain);

    /**
     * Takes responsibility for a message. The session replies 250 only after this returns, so an
     * implementation must not return before the message is safe.
     *
     * @param data the message content, lines ending in CRLF, with dot-stuffing already removed
     * @return the identifier to quote in the 250 reply
     * @throws IOException when the message could not be made safe; the client gets a 451 and keeps it
     */
    String accept(Envelope envelope, byte[] data) throws IOException;
}

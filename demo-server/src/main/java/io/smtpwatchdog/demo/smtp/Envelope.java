package io.smtpwatchdog.demo.smtp;

import java.util.List;

/**
 * The SMTP envelope of a message.
 *
 * @param from       the reverse-path mailbox; empty for the null reverse-path {@code <>} of bounces
 * @param recipients the forward-path mailboxes, in the order they were given
 */
public record Envelope(String from, List<String> recipients) {
    public Envelope {
        recipients = List.copyOf(recipients);
    }
}

package io.smtpwatchdog.demo.inbound;

import java.time.Duration;

/**
 * The knobs of an inbound SMTP session.
 *
 * @param hostname       the name the server gives in its greeting and EHLO reply
 * @param maxMessageSize the largest message accepted, in octets (advertised as SIZE, RFC 1870)
 * @param idleTimeout    how long a client may stay silent before it is told 421 and dropped
 */
public record InboundSettings(String hostname, long maxMessageSize, Duration idleTimeout) {
    /** RFC 5321 §4.5.3.2.7: a server should wait at least 5 minutes for the next command. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
}

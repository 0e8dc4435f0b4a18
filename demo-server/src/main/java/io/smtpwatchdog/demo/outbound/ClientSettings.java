package io.smtpwatchdog.demo.outbound;

import java.time.Duration;

/**
 * How the outbound client behaves.
 *
 * @param fixed            use the corrected behaviour (bounded greeting wait, slot always released) instead of
 *                         the legacy one with DEFECT 1 and DEFECT 2
 * @param connectTimeout   the bound on establishing the TCP connection
 * @param greetingTimeout  the bound on the wait for the 220 greeting; only honoured when {@code fixed}
 * @param replyTimeout     the bound on every reply after the greeting
 */
public record ClientSettings(boolean fixed, Duration connectTimeout, Duration greetingTimeout,
                             Duration replyTimeout) {
}

package io.smtpwatchdog.demo;

import io.smtpwatchdog.demo.outbound.ClientSettings;
import io.smtpwatchdog.demo.outbound.Routes;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a {@link Relay} needs to start.
 *
 * @param port           the inbound SMTP port on 127.0.0.1, 0 for any free one
 * @param spoolDirectory where accepted messages are kept until delivered
 * @param routes         where mail for each domain goes
 * @param threads        delivery threads
 * @param perDomainLimit simultaneous outbound connections per domain
 * @param retryBase      the first retry delay; later ones double
 * @param maxAttempts    delivery attempts before a recipient is given up on
 * @param maxMessageSize the largest message accepted, in octets
 * @param client         the outbound client's behaviour
 * @param statusInterval how often STATUS lines are printed
 * @param statusOut      where STATUS lines go; {@code null} for nowhere
 */
public record RelayConfig(int port, Path spoolDirectory, Routes routes, int threads, int perDomainLimit,
                          Duration retryBase, int maxAttempts, long maxMessageSize, ClientSettings client,
                          Duration statusInterval, PrintStream statusOut) {
}

package io.smtpwatchdog.log;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

/** Hands out {@link WatchdogLogger}s. */
final class WatchdogLoggerFactory implements ILoggerFactory {
    @Override
    public Logger getLogger(String name) {
        // No cache: a logger is just its name, and a map of every name ever asked for is memory we need not hold.
        return new WatchdogLogger(name);
    }
}

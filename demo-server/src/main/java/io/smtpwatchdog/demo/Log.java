package io.smtpwatchdog.demo;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * The relay's log: one timestamped line per event on standard error, so that standard output carries only
 * the machine-readable lines (LISTENING, REMOTE, STATUS, SUMMARY) that tests and operators parse.
 */
public final class Log {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private Log() {
    }

    /** Logs {@code String.format(format, args)}. */
    public static void info(String format, Object... args) {
        String line = TIME.format(LocalTime.now()) + " [" + Thread.currentThread().getName() + "] "
                + String.format(format, args);
        System.err.println(line);
    }
}

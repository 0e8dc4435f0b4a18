package io.smtpwatchdog.launch;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Silences the JDK's own java.util.logging in the CLI process for the RMI and JMX client classes: when the target
 * JVM exits under {@code status --watch}, their connector threads log warnings and stack traces on stderr, while
 * the CLI already says in one line that the process went away.
 */
final class QuietJdkLogs {
    /** The loggers are kept here: the LogManager holds them weakly, and a collected logger forgets its level. */
    private static final Logger[] SILENCED = {
        Logger.getLogger("javax.management"), Logger.getLogger("javax.management.remote"),
        Logger.getLogger("sun.rmi"), Logger.getLogger("java.rmi")};

    private QuietJdkLogs() {
    }

    static void apply() {
        for (Logger l : SILENCED) {
            l.setLevel(Level.OFF);
        }
    }
}

package io.smtpwatchdog.log;

import java.io.PrintStream;
import org.slf4j.event.Level;
import org.slf4j.helpers.MessageFormatter;

/**
 * Writes log events to {@link System#err}, never throwing into the code that logged.
 *
 * <p>The agent logs from inside host threads, in the middle of the host's own socket calls; an exception from
 * the log would surface there as if the host's I/O had failed. So every failure is swallowed and counted in
 * {@link AgentLog#failedWrites()}, and never logged, which could only fail again, or recurse.
 */
final class StderrWriter {
    /**
     * Set while this thread is writing an event. Formatting calls host {@code toString()} methods, and System.err
     * may be a host stream, either of which might reach an instrumented socket and log again: that nested event
     * is dropped instead of recursing.
     */
    private static final ThreadLocal<boolean[]> WRITING = new ThreadLocal<boolean[]>();

    private StderrWriter() {
    }

    static void write(Level level, String pattern, Object[] arguments, Throwable thrown) {
        boolean[] writing = WRITING.get();
        if (writing == null) {
            writing = new boolean[1];
            WRITING.set(writing);
        }
        if (writing[0]) {
            AgentLog.countFailedWrite();
            return;
        }
        writing[0] = true;
        try {
            String message = arguments == null || arguments.length == 0
                    ? pattern : MessageFormatter.basicArrayFormat(pattern, arguments);
            String line = LogLine.format(System.currentTimeMillis(), level.toString(),
                    Thread.currentThread().getName(), message, thrown, AgentLog.stackTraces());
            PrintStream err = System.err;
            // One print call per event: PrintStream locks per call, so lines from different threads never interleave.
            err.print(line);
            if (err.checkError()) {
                AgentLog.countFailedWrite();
            }
        } catch (Throwable failure) {
            // Deliberately everything, Errors included: whatever went wrong, the host's call must go on unharmed.
            AgentLog.countFailedWrite();
        } finally {
            writing[0] = false;
        }
    }
}

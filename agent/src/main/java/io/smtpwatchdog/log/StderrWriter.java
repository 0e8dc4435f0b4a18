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
 *
 * <p>An event is formatted on the thread that logged it. Until {@link AgentLog#writeInBackground()} it is then
 * printed there too (unit tests, and premain before the host runs); from then on it is handed to
 * {@link LineHandoff}'s thread, so that a stderr that blocks never blocks the reaper or a host thread.
 */
final class StderrWriter {
    /** Lines waiting for the printing thread, at most; about 200 KB of typical lines. */
    static final int QUEUED_LINES = 1024;
    /** How long the JVM's exit waits, at most, for queued lines to be printed. */
    static final long EXIT_DRAIN_MILLIS = 1000;

    /**
     * Set while this thread is writing an event, and for good on the printing thread. Formatting calls host
     * {@code toString()} methods, and System.err may be a host stream, either of which might reach an instrumented
     * socket and log again: that nested event is dropped instead of recursing.
     */
    private static final ThreadLocal<boolean[]> WRITING = new ThreadLocal<boolean[]>();

    private static final LineHandoff HANDOFF = new LineHandoff(QUEUED_LINES, "smtp-watchdog-log", EXIT_DRAIN_MILLIS);

    private StderrWriter() {
    }

    static void write(Level level, String pattern, Object[] arguments, Throwable thrown) {
        boolean[] writing = writingFlag();
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
            if (!AgentLog.inBackground() || !HANDOFF.offer(err, line)) {
                print(err, line);
            }
        } catch (Throwable failure) {
            // Deliberately everything, Errors included: whatever went wrong, the host's call must go on unharmed.
            AgentLog.countFailedWrite();
        } finally {
            writing[0] = false;
        }
    }

    /** Prints one formatted line, counting a failure; never throws. */
    static void print(PrintStream err, String line) {
        try {
            // One print call per event: PrintStream locks per call, so lines from different threads never interleave.
            err.print(line);
            if (err.checkError()) {
                AgentLog.countFailedWrite();
            }
        } catch (Throwable failure) {
            AgentLog.countFailedWrite();
        }
    }

    /** Marks the current thread as writing for as long as it lives: what it logs is dropped, never recursed into. */
    static void guardCurrentThread() {
        writingFlag()[0] = true;
    }

    private static boolean[] writingFlag() {
        boolean[] writing = WRITING.get();
        if (writing == null) {
            writing = new boolean[1];
            WRITING.set(writing);
        }
        return writing;
    }
}

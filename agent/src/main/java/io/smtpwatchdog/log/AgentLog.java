package io.smtpwatchdog.log;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Controls the agent's own log: its level threshold, and the count of log lines it could not write.
 *
 * <p>The agent logs through its shaded SLF4J API into {@link WatchdogServiceProvider}, which writes one line per
 * event to {@link System#err}. This class touches no SLF4J type, so premain can set the level before anything
 * SLF4J is loaded.
 */
public final class AgentLog {
    // The same numbers as SLF4J's Level.toInt(), so the logger can compare without translating.
    static final int TRACE = 0;
    static final int DEBUG = 10;
    static final int INFO = 20;
    static final int WARN = 30;
    static final int ERROR = 40;

    private static volatile int threshold = INFO;
    private static final AtomicLong FAILED_WRITES = new AtomicLong();
    private static volatile boolean background;

    private AgentLog() {
    }

    /**
     * Sets the least severe level that is written; takes effect at once, in every thread.
     *
     * @param level {@code error}, {@code warn}, {@code info} (the default) or {@code debug}, in any case; at
     *     {@code debug}, logged exceptions also get their stack trace
     * @throws IllegalArgumentException for any other value (the level is then left as it was)
     */
    public static void setLevel(String level) {
        threshold = parse(level);
    }

    /**
     * The current threshold.
     *
     * @return {@code "error"}, {@code "warn"}, {@code "info"} or {@code "debug"}
     */
    public static String level() {
        switch (threshold) {
            case ERROR:
                return "error";
            case WARN:
                return "warn";
            case DEBUG:
                return "debug";
            default:
                return "info";
        }
    }

    /**
     * How many log events could not be written since the JVM started: the write to {@link System#err} threw,
     * or left the stream in its error state (which {@link java.io.PrintStream} keeps once set, so from then on
     * every event counts), or the event was logged from within another event's write on the same thread and
     * dropped to avoid recursion, or it was dropped because 1,024 lines were already waiting for a stderr that
     * does not keep up (a blocked pipe, say; see {@link #writeInBackground()}). Never reset; a monotonic count for
     * health reporting.
     *
     * @return the count, zero or more
     */
    public static long failedWrites() {
        return FAILED_WRITES.get();
    }

    /**
     * From now on, log lines are printed by one agent thread instead of the thread that logged, so that a host
     * stderr that blocks cannot block the reaper or a host thread: each line is queued without waiting, and dropped
     * (and counted in {@link #failedWrites()}) when 1,024 are already waiting. Premain calls this once the options
     * are read, before any hook is live; the lines still queued when the JVM exits get up to one second to be
     * printed. Before this call, lines are printed at once on the thread that logs them.
     */
    public static void writeInBackground() {
        background = true;
    }

    static boolean inBackground() {
        return background;
    }

    static boolean isEnabled(int level) {
        return level >= threshold;
    }

    static boolean stackTraces() {
        return threshold <= DEBUG;
    }

    static void countFailedWrite() {
        FAILED_WRITES.incrementAndGet();
    }

    private static int parse(String level) {
        if ("error".equalsIgnoreCase(level)) {
            return ERROR;
        }
        if ("warn".equalsIgnoreCase(level)) {
            return WARN;
        }
        if ("info".equalsIgnoreCase(level)) {
            return INFO;
        }
        if ("debug".equalsIgnoreCase(level)) {
            return DEBUG;
        }
        throw new IllegalArgumentException("unknown log level '" + level + "': expected error, warn, info or debug");
    }
}

package io.smtpwatchdog.config;

/**
 * What the agent does with a connection whose 220 greeting is overdue.
 *
 * <p>Written {@code enforce} or {@code monitor} in every option source (case-insensitive).
 */
public enum Mode {
    /** Close ("reap") the socket, so the thread stuck reading the greeting gets an exception and moves on. */
    ENFORCE,
    /** Only count and log the overdue greeting; never touch the socket. A safe first step on a new host. */
    MONITOR;

    /**
     * The form this mode is written in options and in {@link Settings#describe()}.
     *
     * @return {@code "enforce"} or {@code "monitor"}
     */
    public String text() {
        // Spelled out rather than name().toLowerCase(): a default Turkish locale would turn MONITOR into "monıtor".
        return this == ENFORCE ? "enforce" : "monitor";
    }
}

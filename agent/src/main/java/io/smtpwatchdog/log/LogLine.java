package io.smtpwatchdog.log;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Lays out one log event: {@code <ISO-8601 UTC time> smtp-watchdog <LEVEL> [<thread>] <message>}, then, if an
 * exception was logged, {@code : <exception class>: <exception message>}; its stack trace follows on the next
 * lines only when asked for (at debug level).
 */
final class LogLine {
    // Not System.getProperty("line.separator"): a host's SecurityManager may refuse that read, never this one.
    private static final String SEPARATOR = System.lineSeparator();

    private LogLine() {
    }

    /** Returns the event's text, ending with a line separator. */
    static String format(long epochMillis, String level, String thread, String message, Throwable thrown,
            boolean stackTrace) {
        StringBuilder line = new StringBuilder(96 + (message == null ? 0 : message.length()));
        line.append(UtcTimestamp.format(epochMillis)).append(" smtp-watchdog ").append(level).append(" [");
        appendOneLine(line, thread);
        line.append("] ");
        appendOneLine(line, message);
        if (thrown != null) {
            line.append(": ").append(thrown.getClass().getName());
            String thrownMessage = messageOf(thrown);
            if (thrownMessage != null) {
                line.append(": ");
                appendOneLine(line, thrownMessage);
            }
        }
        line.append(SEPARATOR);
        if (thrown != null && stackTrace) {
            line.append(stackTraceOf(thrown));
        }
        return line.toString();
    }

    /**
     * Appends text with line breaks escaped, so that one event stays one line and a host-supplied string
     * (an exception message, a thread name) cannot forge log lines of its own.
     */
    private static void appendOneLine(StringBuilder line, String text) {
        if (text == null) {
            line.append("null");
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line.append("\\n");
            } else if (c == '\r') {
                line.append("\\r");
            } else if (c != '\t' && (Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
                line.append('?');
            } else {
                line.append(c);
            }
        }
    }

    /** The exception's message; exception classes are host code, and a throwing getMessage() must not cost the line. */
    private static String messageOf(Throwable thrown) {
        try {
            return thrown.getMessage();
        } catch (Throwable broken) {
            return "(getMessage() threw " + broken.getClass().getName() + ")";
        }
    }

    private static String stackTraceOf(Throwable thrown) {
        try {
            StringWriter trace = new StringWriter();
            PrintWriter writer = new PrintWriter(trace);
            thrown.printStackTrace(writer);
            writer.flush();
            return trace.toString();
        } catch (Throwable broken) {
            return "(stack trace unavailable: " + broken.getClass().getName() + ")" + SEPARATOR;
        }
    }
}

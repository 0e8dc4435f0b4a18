package io.smtpwatchdog.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class LogLineTest {
    private static final String NL = System.lineSeparator();

    @Test
    void timestampNameLevelThreadMessage() {
        assertEquals("2024-05-01T12:00:00.123Z smtp-watchdog INFO [main] reaped 1 connection" + NL,
                LogLine.format(1714564800123L, "INFO", "main", "reaped 1 connection", null, false));
    }

    @Test
    void exceptionClassAndMessageOnTheSameLine() {
        assertEquals("1970-01-01T00:00:00.000Z smtp-watchdog WARN [t] greeting overdue: "
                        + "java.net.SocketTimeoutException: Read timed out" + NL,
                LogLine.format(0, "WARN", "t", "greeting overdue", new SocketTimeoutException("Read timed out"), false));
        assertEquals("1970-01-01T00:00:00.000Z smtp-watchdog WARN [t] m: java.io.IOException" + NL,
                LogLine.format(0, "WARN", "t", "m", new IOException(), false));
    }

    @Test
    void stackTraceOnlyWhenAsked() {
        IOException thrown = new IOException("boom", new IllegalStateException("cause"));
        String withTrace = LogLine.format(0, "ERROR", "t", "m", thrown, true);
        String[] lines = withTrace.split(NL);
        assertEquals("1970-01-01T00:00:00.000Z smtp-watchdog ERROR [t] m: java.io.IOException: boom", lines[0]);
        assertEquals("java.io.IOException: boom", lines[1]);
        assertTrue(lines[2].startsWith("\tat io.smtpwatchdog.log.LogLineTest.stackTraceOnlyWhenAsked"), lines[2]);
        assertTrue(withTrace.contains("Caused by: java.lang.IllegalStateException: cause"), withTrace);
        assertTrue(withTrace.endsWith(NL));
        assertEquals(1, LogLine.format(0, "ERROR", "t", "m", thrown, false).lines().count());
    }

    @Test
    void hostTextCannotBreakOrForgeLines() {
        String line = LogLine.format(0, "INFO", "evil\nthread", "a\r\nb\u0000c\td\u2028",
                new IOException("x\n1970-01-01T00:00:00.000Z smtp-watchdog ERROR [main] forged"), false);
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("1970-01-01T00:00:00.000Z smtp-watchdog INFO [evil\\nthread] a\\r\\nb?c\td?: "
                + "java.io.IOException: x\\n1970"), line);
        assertEquals("1970-01-01T00:00:00.000Z smtp-watchdog INFO [null] null" + NL,
                LogLine.format(0, "INFO", null, null, null, false));
    }

    @Test
    void aThrowingExceptionStillGetsItsLine() {
        Throwable hostile = new RuntimeException() {
            @Override
            public String getMessage() {
                throw new IllegalStateException("no message for you");
            }

            @Override
            public void printStackTrace(java.io.PrintWriter writer) {
                throw new IllegalStateException("no trace either");
            }
        };
        String line = LogLine.format(0, "ERROR", "t", "m", hostile, true);
        assertTrue(line.contains(" m: io.smtpwatchdog.log.LogLineTest$1: (getMessage() threw java.lang.IllegalStateException)"
                + NL + "(stack trace unavailable: java.lang.IllegalStateException)" + NL), line);
    }
}

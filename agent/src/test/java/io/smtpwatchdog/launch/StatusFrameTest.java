package io.smtpwatchdog.launch;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each {@code status --watch} frame starts with when it was read. */
class StatusFrameTest {
    @Test
    void utcToTheSecondEvenOnAWholeSecond() {
        assertEquals("--- 2026-12-01T19:40:02Z ---", Status.frameTime(1796154002999L));
        assertEquals("--- 2026-12-01T19:40:02Z ---", Status.frameTime(1796154002000L));
        assertEquals("--- 1970-01-01T00:00:00Z ---", Status.frameTime(0L));
    }
}

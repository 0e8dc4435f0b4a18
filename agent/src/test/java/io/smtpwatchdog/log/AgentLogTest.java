package io.smtpwatchdog.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The backend as the agent uses it: through SLF4J's LoggerFactory, writing to System.err. */
class AgentLogTest {
    private static final Pattern LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z smtp-watchdog (ERROR|WARN|INFO|DEBUG) \\[[^\\]]*\\] .*");

    private final Logger log = LoggerFactory.getLogger(AgentLogTest.class);

    @AfterEach
    void resetLevel() {
        AgentLog.setLevel("info");
    }

    @Test
    void slf4jFindsOurProvider() {
        assertInstanceOf(WatchdogLoggerFactory.class, LoggerFactory.getILoggerFactory());
        assertInstanceOf(WatchdogLogger.class, log);
        assertEquals(AgentLogTest.class.getName(), log.getName());
    }

    @Test
    void oneLinePerEventInTheDocumentedFormat() {
        List<String> lines;
        try (StderrCapture err = new StderrCapture()) {
            long before = System.currentTimeMillis();
            log.info("watching {} ports, timeout {}", 4, "5m");
            log.warn("greeting from {} overdue", "mx.example.com:25", new IOException("stuck"));
            log.error("plain");
            long after = System.currentTimeMillis();
            lines = err.lines();
            long stamped = Instant.parse(lines.get(0).substring(0, 24)).toEpochMilli();
            assertTrue(before <= stamped && stamped <= after, lines.get(0) + " not within the call");
        }
        String thread = Thread.currentThread().getName();
        assertEquals(3, lines.size(), String.join("\n", lines));
        lines.forEach(line -> assertTrue(LINE.matcher(line).matches(), line));
        assertTrue(lines.get(0).endsWith(" smtp-watchdog INFO [" + thread + "] watching 4 ports, timeout 5m"), lines.get(0));
        assertTrue(lines.get(1).endsWith(" smtp-watchdog WARN [" + thread + "] greeting from mx.example.com:25 overdue: "
                + "java.io.IOException: stuck"), lines.get(1));
        assertTrue(lines.get(2).endsWith(" smtp-watchdog ERROR [" + thread + "] plain"), lines.get(2));
    }

    @Test
    void fluentApiToo() {
        try (StderrCapture err = new StderrCapture()) {
            log.atWarn().setMessage("reaped {}").addArgument("conn-7").setCause(new IOException("x")).log();
            assertTrue(err.text().contains(" WARN [" + Thread.currentThread().getName() + "] reaped conn-7: "
                    + "java.io.IOException: x"), err.text());
        }
    }

    @Test
    void infoIsTheDefaultThreshold() {
        try (StderrCapture err = new StderrCapture()) {
            assertEquals("info", AgentLog.level());
            log.debug("hidden");
            log.trace("hidden");
            log.info("shown");
            assertEquals(1, err.lines().size(), err.text());
            assertTrue(log.isInfoEnabled());
            assertFalse(log.isDebugEnabled());
        }
    }

    @Test
    void eachThresholdLetsThroughItsLevelAndMoreSevere() {
        String[] levels = {"error", "warn", "info", "debug"};
        for (int threshold = 0; threshold < levels.length; threshold++) {
            try (StderrCapture err = new StderrCapture()) {
                AgentLog.setLevel(levels[threshold]);
                log.error("e");
                log.warn("w");
                log.info("i");
                log.debug("d");
                log.trace("t");
                List<String> written = new ArrayList<>();
                for (String line : err.lines()) {
                    written.add(line.split(" ")[2]);
                }
                assertEquals(List.of("ERROR", "WARN", "INFO", "DEBUG").subList(0, threshold + 1), written,
                        "threshold " + levels[threshold]);
                assertEquals(threshold >= 3, log.isDebugEnabled());
                assertFalse(log.isTraceEnabled(), "trace is never written");
            }
        }
    }

    @Test
    void stackTracesOnlyAtDebug() {
        try (StderrCapture err = new StderrCapture()) {
            log.warn("failed", new IOException("boom"));
            assertEquals(1, err.lines().size());
        }
        try (StderrCapture err = new StderrCapture()) {
            AgentLog.setLevel("debug");
            log.warn("failed", new IOException("boom"));
            assertTrue(err.lines().size() > 2, err.text());
            assertEquals("java.io.IOException: boom", err.lines().get(1));
            assertTrue(err.lines().get(2).startsWith("\tat "), err.lines().get(2));
        }
    }

    @Test
    void levelNamesAreCaseInsensitiveAndOthersRefused() {
        AgentLog.setLevel("WARN");
        assertEquals("warn", AgentLog.level());
        AgentLog.setLevel("Debug");
        assertEquals("debug", AgentLog.level());
        for (String bad : new String[] {"trace", "warning", "", " info", null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentLog.setLevel(bad));
            assertTrue(e.getMessage().contains("expected error, warn, info or debug"), e.getMessage());
            assertEquals("debug", AgentLog.level(), "a refused level changes nothing");
        }
    }

    @Test
    void linesFromManyThreadsNeverInterleave() throws Exception {
        try (StderrCapture err = new StderrCapture()) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < 250; i++) {
                        log.info("event {} of a fairly long message that takes a while to write out, {}", i, "x".repeat(200));
                    }
                }, "writer-" + t);
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            List<String> lines = err.lines();
            assertEquals(2000, lines.size());
            lines.forEach(line -> assertTrue(LINE.matcher(line).matches() && line.endsWith("x".repeat(200)), line));
        }
    }
}

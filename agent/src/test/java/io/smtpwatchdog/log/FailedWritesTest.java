package io.smtpwatchdog.log;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The log must never throw into the code that logged, even when System.err is broken or hostile. */
class FailedWritesTest {
    private final Logger log = LoggerFactory.getLogger(FailedWritesTest.class);

    @AfterEach
    void resetLevel() {
        AgentLog.setLevel("info");
    }

    /** A System.err replacement that throws from every write, as a host's misbehaving stream might. */
    static final class ThrowingPrintStream extends PrintStream {
        final AtomicInteger attempts = new AtomicInteger();

        ThrowingPrintStream() {
            super(OutputStream.nullOutputStream());
        }

        @Override
        public void print(String s) {
            attempts.incrementAndGet();
            throw new IllegalStateException("stderr is gone");
        }

        @Override
        public void write(byte[] b, int off, int len) {
            attempts.incrementAndGet();
            throw new IllegalStateException("stderr is gone");
        }

        @Override
        public void println(String s) {
            attempts.incrementAndGet();
            throw new IllegalStateException("stderr is gone");
        }
    }

    @Test
    void aThrowingStderrIsSwallowedAndCounted() {
        ThrowingPrintStream throwing = new ThrowingPrintStream();
        long before = AgentLog.failedWrites();
        try (StderrCapture ignored = new StderrCapture(throwing)) {
            assertDoesNotThrow(() -> {
                log.info("one");
                log.warn("two", new IOException("x"));
                log.error("three {}", "arg");
            });
        }
        assertEquals(before + 3, AgentLog.failedWrites());
        assertEquals(3, throwing.attempts.get(), "one attempt per event: the failure is not logged, nor retried");
    }

    @Test
    void aStderrWhoseStreamFailsIsCountedToo() {
        // PrintStream swallows IOExceptions itself; only its error flag tells.
        PrintStream failing = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Bad file descriptor");
            }
        }, true);
        long before = AgentLog.failedWrites();
        try (StderrCapture ignored = new StderrCapture(failing)) {
            assertDoesNotThrow(() -> log.info("lost"));
        }
        assertEquals(before + 1, AgentLog.failedWrites());
    }

    @Test
    void aNullStderrIsSwallowedAndCounted() {
        long before = AgentLog.failedWrites();
        try (StderrCapture ignored = new StderrCapture(null)) {
            assertDoesNotThrow(() -> log.error("nowhere to go"));
        }
        assertEquals(before + 1, AgentLog.failedWrites());
    }

    @Test
    void throwingArgumentsAndExceptionsAreSwallowed() {
        Object hostile = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("toString is broken");
            }
        };
        try (StderrCapture err = new StderrCapture()) {
            assertDoesNotThrow(() -> log.info("value {}", hostile));
            assertTrue(err.text().contains(" INFO [" + Thread.currentThread().getName() + "] value [FAILED toString()]"),
                    err.text());
        }
    }

    @Test
    void loggingFromInsideAWriteIsDroppedNotRecursed() {
        Object reentrant = new Object() {
            @Override
            public String toString() {
                log.info("nested {}", this); // would recurse forever without the guard
                return "outer";
            }
        };
        long before = AgentLog.failedWrites();
        try (StderrCapture err = new StderrCapture()) {
            assertDoesNotThrow(() -> log.info("value {}", reentrant));
            assertEquals(1, err.lines().size(), err.text());
            assertTrue(err.text().contains("] value outer"), err.text());
        }
        assertEquals(before + 1, AgentLog.failedWrites());
    }

    @Test
    void aStderrThatLogsBackIsNotRecursedInto() {
        AtomicInteger writes = new AtomicInteger();
        PrintStream loggingBack = new PrintStream(OutputStream.nullOutputStream()) {
            @Override
            public void print(String s) {
                writes.incrementAndGet();
                log.warn("stderr wrote {} chars", s.length());
            }
        };
        long before = AgentLog.failedWrites();
        try (StderrCapture ignored = new StderrCapture(loggingBack)) {
            assertDoesNotThrow(() -> log.info("hello"));
        }
        assertEquals(1, writes.get());
        assertEquals(before + 1, AgentLog.failedWrites());
    }

    @Test
    void afterAFailureTheNextWriteWorksAgain() {
        try (StderrCapture ignored = new StderrCapture(new ThrowingPrintStream())) {
            log.info("lost");
        }
        try (StderrCapture err = new StderrCapture()) {
            log.info("found");
            assertTrue(err.text().contains("] found"), err.text());
        }
    }
}

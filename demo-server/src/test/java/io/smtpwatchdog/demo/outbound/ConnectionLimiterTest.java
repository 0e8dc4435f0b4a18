package io.smtpwatchdog.demo.outbound;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionLimiterTest {
    @Test
    void limitsEachDomainSeparatelyWithoutBlocking() {
        ConnectionLimiter limiter = new ConnectionLimiter(2);
        assertTrue(limiter.acquire("a.example"));
        assertTrue(limiter.acquire("A.EXAMPLE"));
        assertFalse(limiter.acquire("a.example"));
        assertTrue(limiter.acquire("b.example"));
        assertEquals(2, limiter.inUse("a.example"));
        limiter.release("a.example");
        assertTrue(limiter.acquire("a.example"));
    }

    @Test
    void releasingMoreThanWasTakenIsHarmless() {
        ConnectionLimiter limiter = new ConnectionLimiter(1);
        limiter.release("a.example");
        assertEquals(0, limiter.inUse("a.example"));
        assertTrue(limiter.acquire("a.example"));
        assertFalse(limiter.acquire("a.example"));
    }

    @Test
    void tellsListenersAboutReleases() {
        ConnectionLimiter limiter = new ConnectionLimiter(1);
        AtomicInteger calls = new AtomicInteger();
        limiter.onRelease(calls::incrementAndGet);
        limiter.acquire("a.example");
        limiter.release("a.example");
        assertEquals(1, calls.get());
    }

    @Test
    void keepsTheShapeTheAgentCallsByName() throws NoSuchMethodException {
        assertEquals(boolean.class, ConnectionLimiter.class.getMethod("acquire", String.class).getReturnType());
        assertEquals(void.class, ConnectionLimiter.class.getMethod("release", String.class).getReturnType());
    }

    @Test
    void needsAPositiveLimit() {
        assertThrows(IllegalArgumentException.class, () -> new ConnectionLimiter(0));
    }
}

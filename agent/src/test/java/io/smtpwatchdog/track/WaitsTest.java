package io.smtpwatchdog.track;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WaitsTest {
    @Test
    void waitsComeOutInTheOrderTheyWentIn() {
        long q = 0;
        int[] verbs = {Verb.MAIL, Verb.RCPT, Verb.RCPT, Verb.DATA};
        for (int v : verbs) {
            q = Waits.push(q, v);
        }
        for (int v : verbs) {
            assertEquals(v, Waits.head(q));
            q = Waits.pop(q);
        }
        assertEquals(0, Waits.count(q));
        assertEquals(Verb.NONE, Waits.head(q));
    }

    @Test
    void pastTheTenthAWaitTakesTheTenthsVerbAndEveryWaitIsStillCounted() {
        long q = Waits.push(0, Verb.MAIL);
        for (int i = 0; i < 40; i++) {
            q = Waits.push(q, Verb.RCPT);
        }
        q = Waits.push(q, Verb.DATA);
        assertEquals(42, Waits.count(q));
        assertEquals(Verb.MAIL, Waits.head(q));
        q = Waits.pop(q);
        for (int i = 0; i < 41; i++) {
            assertEquals(Verb.RCPT, Waits.head(q), "wait " + i);
            q = Waits.pop(q);
        }
        assertEquals(0, Waits.count(q));
    }

    @Test
    void theCountSaturatesRatherThanOverflowing() {
        long q = 0;
        for (int i = 0; i < 100; i++) {
            q = Waits.push(q, Verb.NOOP);
        }
        assertEquals(63, Waits.count(q));
        assertTrue(!Waits.closed(q));
    }

    @Test
    void aClosedQueueStaysClosedThroughPops() {
        long q = Waits.push(0, Verb.NOOP) | Waits.CLOSED;
        assertTrue(Waits.closed(Waits.pop(q)));
    }
}

package io.smtpwatchdog.reap;

import io.smtpwatchdog.config.Declaration;
import io.smtpwatchdog.track.Tracker;
import io.smtpwatchdog.track.TrackerAccess;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator's release, against a tracker fed as the declared-method hooks feed it and a real limiter object:
 * what is called, on which thread, what is refused and with which sentence, and that the agent's slot counters do
 * not move.
 */
class OperatorReleaseTest {
    /** A host's per-domain counter, as LimiterHost's; remembers which threads released. */
    public static final class Limiter {
        final Map<String, Integer> inUse = new HashMap<>();
        final List<String> releasedBy = new ArrayList<>();
        volatile RuntimeException failOnRelease;

        public synchronized boolean acquire(String domain) {
            inUse.merge(domain, 1, Integer::sum);
            return true;
        }

        public synchronized void release(String domain) {
            if (failOnRelease != null) {
                throw failOnRelease;
            }
            inUse.merge(domain, -1, Integer::sum);
            releasedBy.add(Thread.currentThread().getName());
        }

        synchronized int count(String domain) {
            return inUse.getOrDefault(domain, 0);
        }
    }

    private static final String LIMITER = Limiter.class.getName();
    private static final String ACQUIRE = "slotAcquire=" + LIMITER + "#acquire(java.lang.String)@0";
    private static final String RELEASE = "slotRelease=" + LIMITER + "#release(java.lang.String)@0";

    private static Tracker tracker(String options) throws Exception {
        return TrackerAccess.withDeclarations(options);
    }

    private static int index(Tracker t, Declaration.Kind kind) {
        return TrackerAccess.index(t, kind);
    }

    /** The host takes a slot of {@code domain} through its declared acquire, as the hook reports it. */
    private static void hostAcquires(Tracker t, Limiter limiter, String domain) {
        limiter.acquire(domain);
        TrackerAccess.acquired(t, limiter, domain, index(t, Declaration.Kind.SLOT_ACQUIRE), true);
    }

    @Test
    void callsTheDeclaredReleaseCountTimesOnAnAgentThreadAndLeavesTheAgentsCountersAlone() throws Exception {
        Tracker t = tracker(ACQUIRE + "," + RELEASE);
        Limiter limiter = new Limiter();
        limiter.inUse.put("leak.example", 5); // taken before the agent came: it never saw them
        hostAcquires(t, limiter, "leak.example"); // one it saw, held now
        Map<String, Long> before = t.totals();
        assertEquals(1L, before.get("slotsHeld"));

        String done = new OperatorRelease(t).release(" leak.example ", 3);

        assertEquals(6 - 3, limiter.count("leak.example"), "the host's own count dropped by exactly 3");
        assertEquals(List.of("smtp-watchdog-operator", "smtp-watchdog-operator", "smtp-watchdog-operator"),
                limiter.releasedBy, "called on a thread of the agent's, which its release hook lets through");
        assertTrue(done.startsWith("called " + LIMITER + "#release(java.lang.String)@0 3 times with 'leak.example' "
                + "on " + LIMITER + "@"), done);
        assertEquals(before, t.totals(), "slotsHeld and slotsRecovered do not move: the agent never saw those");
    }

    @Test
    void aCountOfOneSaysTime() throws Exception {
        Tracker t = tracker(ACQUIRE + "," + RELEASE);
        Limiter limiter = new Limiter();
        hostAcquires(t, limiter, "a.example");
        assertTrue(new OperatorRelease(t).release("a.example", 1).contains(" 1 time with 'a.example'"));
        assertEquals(0, limiter.count("a.example"));
    }

    @Test
    void aHostReleaseAlsoMakesItsObjectKnown() throws Exception {
        Tracker t = tracker(RELEASE);
        Limiter limiter = new Limiter();
        TrackerAccess.released(t, limiter, "b.example", index(t, Declaration.Kind.SLOT_RELEASE));
        new OperatorRelease(t).release("b.example", 2);
        assertEquals(-2, limiter.count("b.example"));
    }

    @Test
    void withoutADeclaredReleaseItIsRefused() throws Exception {
        Tracker t = tracker(ACQUIRE);
        Limiter limiter = new Limiter();
        hostAcquires(t, limiter, "a.example");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new OperatorRelease(t).release("a.example", 1));
        assertTrue(e.getMessage().startsWith("no slotRelease is declared"), e.getMessage());
        assertEquals(1, limiter.count("a.example"));
    }

    @Test
    void beforeTheHostUsedItsLimiterItIsRefused() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new OperatorRelease(tracker(ACQUIRE + "," + RELEASE)).release("a.example", 1));
        assertTrue(e.getMessage().contains("has not called its declared slotAcquire or slotRelease"), e.getMessage());
    }

    @Test
    void withTwoLimitersItIsRefusedAndNeitherIsCalled() throws Exception {
        Tracker t = tracker(ACQUIRE + "," + RELEASE);
        Limiter one = new Limiter();
        Limiter two = new Limiter();
        hostAcquires(t, one, "a.example");
        hostAcquires(t, two, "a.example");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new OperatorRelease(t).release("a.example", 1));
        assertTrue(e.getMessage().contains("would be a guess"), e.getMessage());
        assertEquals(1, one.count("a.example"));
        assertEquals(1, two.count("a.example"));
    }

    @Test
    void anObjectWithoutADeclaredReleaseIsRefused() throws Exception {
        // The release is declared on another type than the one the host acquires on.
        Tracker t = tracker(ACQUIRE + ",slotRelease=java.lang.StringBuilder#append(java.lang.String)@0");
        hostAcquires(t, new Limiter(), "a.example");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new OperatorRelease(t).release("a.example", 1));
        assertTrue(e.getMessage().startsWith("no slotRelease is declared for " + LIMITER + "@"), e.getMessage());
    }

    @Test
    void aReleaseThatThrowsStopsAndSaysHowManyWentThrough() throws Exception {
        Tracker t = tracker(ACQUIRE + "," + RELEASE);
        Limiter limiter = new Limiter();
        hostAcquires(t, limiter, "a.example");
        limiter.failOnRelease = new IllegalStateException("limiter closed");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new OperatorRelease(t).release("a.example", 4));
        assertTrue(e.getMessage().contains("threw java.lang.IllegalStateException: limiter closed on call 1 of 4")
                && e.getMessage().endsWith("no slot was released before it"), e.getMessage());
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsLookedAt() throws Exception {
        Tracker t = tracker(ACQUIRE + "," + RELEASE);
        Limiter limiter = new Limiter();
        hostAcquires(t, limiter, "a.example");
        OperatorRelease r = new OperatorRelease(t);
        for (int count : new int[] {0, -1, OperatorRelease.MAX_COUNT + 1, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.release("a.example",
                    count));
            assertEquals("count is how many slots to release, 1 to 1000, not " + count, e.getMessage());
        }
        for (String domain : new String[] {null, "", "   ", "a b.example", "a\u0000.example", "x".repeat(256)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.release(domain, 1));
            assertTrue(e.getMessage().startsWith("domain "), e.getMessage());
            assertTrue(!e.getMessage().contains("\u0000"), "no control character echoed");
        }
        assertEquals(1, limiter.count("a.example"), "nothing was called");
        r.release("x".repeat(255), OperatorRelease.MAX_COUNT);
        assertEquals(-OperatorRelease.MAX_COUNT, limiter.count("x".repeat(255)), "the bounds themselves are accepted");
    }
}

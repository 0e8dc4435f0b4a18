package io.smtpwatchdog.track;

import io.smtpwatchdog.config.Declaration;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the rescue's watch hears of the host's releases: a thread rescued from a greeting read holds a slot the agent
 * never saw taken. Its release of that slot is heard; its release of a slot it took (and the agent saw) afterwards,
 * for its next delivery, is not, or a relay that leaks the rescued slot would look as if it had given it back.
 */
class ReleaseWatchTest {
    private static final Object LIMITER = new Object();
    private static final String LIMITER_TYPE = "com.acme.Limiter";

    private final List<String> heard = new ArrayList<>();

    private Tracker tracker() throws Exception {
        Tracker t = TrackerAccess.withDeclarations("slotAcquire=" + LIMITER_TYPE + "#acquire(java.lang.String)@0,"
                + "slotRelease=" + LIMITER_TYPE + "#release(java.lang.String)@0");
        t.slots().releaseWatch((thread, domain) -> heard.add(thread + " " + domain));
        return t;
    }

    private static int index(Tracker t, Declaration.Kind kind) {
        return TrackerAccess.index(t, kind);
    }

    /** As the hook of the host's {@code boolean acquire(String)} that took a slot. */
    private static void acquire(Tracker t) {
        t.onAcquire(LIMITER, new Object[] {"tarpit.example"}, index(t, Declaration.Kind.SLOT_ACQUIRE), "boolean",
                true, null);
    }

    /** As the hook of the host's {@code release(String)}. */
    private static void release(Tracker t, String domain) {
        t.onRelease(LIMITER, new Object[] {domain}, index(t, Declaration.Kind.SLOT_RELEASE));
    }

    @Test
    void hearsAReleaseOfASlotTheAgentNeverSawTaken() throws Exception {
        Tracker t = tracker();
        release(t, "tarpit.example");
        assertEquals(List.of(Thread.currentThread().getId() + " tarpit.example"), heard);
    }

    @Test
    void doesNotHearAThreadGiveBackASlotItTookSinceTheAgentArrived() throws Exception {
        Tracker t = tracker();
        acquire(t);
        release(t, "tarpit.example");
        assertEquals(List.of(), heard, "the slot of its next delivery is not the one it held when rescued");
        release(t, "tarpit.example"); // and then the old one, which the agent never saw
        assertEquals(List.of(Thread.currentThread().getId() + " tarpit.example"), heard);
    }

    @Test
    void hearsAReleaseEvenWhenAnotherThreadHoldsATrackedSlotOfThatDomain() throws Exception {
        Tracker t = tracker();
        Thread other = new Thread(() -> acquire(t));
        other.start();
        other.join();
        release(t, "tarpit.example");
        assertEquals(List.of(Thread.currentThread().getId() + " tarpit.example"), heard);
    }
}

package io.smtpwatchdog.track;

import org.junit.jupiter.api.Test;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which object an operator's release may go to: exactly one live one seen, else a one-sentence refusal. */
class SlotOwnersTest {

    @Test
    void nothingSeenYetIsRefusedAndSaysSo() {
        SlotOwners.Choice c = new SlotOwners().choose();
        assertNull(c.owner());
        assertTrue(c.refusal().contains("has not called its declared slotAcquire or slotRelease"), c.refusal());
    }

    @Test
    void oneObjectSeenManyTimesIsTheChoice() {
        SlotOwners owners = new SlotOwners();
        Object limiter = new Object();
        for (int i = 0; i < 5; i++) {
            owners.saw(limiter);
        }
        SlotOwners.Choice c = owners.choose();
        assertSame(limiter, c.owner());
        assertNull(c.refusal());
        assertEquals(1, c.live());
    }

    @Test
    void twoObjectsWouldBeAGuessAndBothAreNamed() {
        SlotOwners owners = new SlotOwners();
        Object a = new StringBuilder("a");
        Object b = new StringBuilder("b");
        owners.saw(a);
        owners.saw(b);
        owners.saw(a);
        SlotOwners.Choice c = owners.choose();
        assertNull(c.owner());
        assertTrue(c.refusal().contains("used 2 objects") && c.refusal().contains("would be a guess"), c.refusal());
        assertTrue(c.refusal().contains(SlotOwners.describe(a)) && c.refusal().contains(SlotOwners.describe(b)),
                c.refusal());
    }

    @Test
    void aStaticLimiterIsItsClass() {
        SlotOwners owners = new SlotOwners();
        owners.saw(String.class);
        assertSame(String.class, owners.choose().owner());
        assertEquals("class java.lang.String (static)", SlotOwners.describe(String.class));
    }

    @Test
    void ownersAreHeldWeaklySoACollectedOneLeavesTheOtherAsTheChoice() throws Exception {
        SlotOwners owners = new SlotOwners();
        Object kept = new Object();
        Object dropped = new Object();
        owners.saw(kept);
        owners.saw(dropped);
        WeakReference<Object> gone = new WeakReference<>(dropped);
        dropped = null;
        collect(gone);
        assertSame(kept, owners.choose().owner(), "the agent held no strong reference to the dropped one");
    }

    @Test
    void theOnlyOwnerCollectedIsRefusedAsGone() throws Exception {
        SlotOwners owners = new SlotOwners();
        Object only = new Object();
        owners.saw(only);
        WeakReference<Object> gone = new WeakReference<>(only);
        only = null;
        collect(gone);
        SlotOwners.Choice c = owners.choose();
        assertNull(c.owner());
        assertTrue(c.refusal().contains("garbage-collected"), c.refusal());
    }

    @Test
    void boundedAndOnceOverflowedAlwaysSeveral() throws Exception {
        SlotOwners owners = new SlotOwners();
        List<Object> live = new ArrayList<>();
        for (int i = 0; i <= SlotOwners.MAX; i++) {
            Object o = new Object();
            live.add(o);
            owners.saw(o);
        }
        assertTrue(owners.choose().refusal().contains("more than " + SlotOwners.MAX), owners.choose().refusal());
        Object survivor = live.get(0);
        WeakReference<Object> other = new WeakReference<>(live.get(1));
        live.clear();
        collect(other);
        assertNull(owners.choose().owner(), "an owner forgotten for the bound may hold the slot: still a guess");
        Reference.reachabilityFence(survivor);
    }

    @Test
    void collectedOwnersMakeRoomBeforeTheBoundIsReached() throws Exception {
        SlotOwners owners = new SlotOwners();
        for (int round = 0; round < 3; round++) {
            List<WeakReference<Object>> refs = new ArrayList<>();
            for (int i = 0; i < SlotOwners.MAX; i++) {
                Object o = new Object();
                refs.add(new WeakReference<>(o));
                owners.saw(o);
            }
            for (WeakReference<Object> r : refs) {
                collect(r);
            }
        }
        Object now = new Object();
        owners.saw(now);
        assertSame(now, owners.choose().owner(), "3 x " + SlotOwners.MAX + " limiters over time, one alive now");
    }

    private static void collect(WeakReference<?> ref) throws InterruptedException {
        for (int i = 0; i < 100 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(ref.get(), "collected");
    }
}

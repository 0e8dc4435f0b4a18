package io.smtpwatchdog.track;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class SlotBookTest {
    private final Object limiter = new Object();
    private final Destination d = new Destination("tarpit.example");

    @Test
    void aThreadReleasesTheSlotOfTheDeliveryItIsFinishingNotAnOlderOneInItsGracePeriod() {
        SlotBook book = new SlotBook();
        Slot reaped = new Slot(limiter, "tarpit.example", d, 0);
        reaped.move(Slot.HELD, Slot.BOUND); // its socket was reaped; the host forgot it (the KB's leak)
        Slot current = new Slot(limiter, "tarpit.example", d, 0);
        current.move(Slot.HELD, Slot.BOUND);
        book.add(reaped);
        book.add(current);
        Slot[] which = new Slot[1];
        assertEquals(SlotBook.Release.RELEASED,
                book.released(limiter, "tarpit.example", Thread.currentThread().getId(), which));
        assertSame(current, which[0]);
        assertEquals(Slot.RELEASED, current.state());
        assertEquals(Slot.BOUND, reaped.state(), "still the agent's to give back");
    }

    @Test
    void aLateReleaseOfASlotTheAgentGaveBackIsReportedOnceSoItCanBeSkipped() {
        SlotBook book = new SlotBook();
        Slot s = new Slot(limiter, "tarpit.example", d, 0);
        s.move(Slot.HELD, Slot.BOUND);
        book.add(s);
        s.move(Slot.BOUND, Slot.RECOVERED);
        book.recovered(s);
        Slot[] which = new Slot[1];
        long me = Thread.currentThread().getId();
        assertEquals(SlotBook.Release.ALREADY_RECOVERED, book.released(limiter, "tarpit.example", me, which));
        assertEquals(SlotBook.Release.UNKNOWN, book.released(limiter, "tarpit.example", me, which),
                "a second release is the host's own business, not skipped");
    }
}

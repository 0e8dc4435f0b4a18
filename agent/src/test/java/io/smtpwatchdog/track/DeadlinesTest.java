package io.smtpwatchdog.track;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connect queues its deadline, the reaper sorts what still waits: a connection greeted before the reaper looked is
 * never sorted (its greeting removes nothing), one still waiting is polled in deadline order, and the reaper's
 * wake-up time covers queued deadlines it has not sorted yet. Driven as the hooks drive the tracker, with no reaper.
 */
class DeadlinesTest {
    private static final byte[] GREETING = "220 ok\r\n".getBytes(StandardCharsets.US_ASCII);

    private static Socket connect(Tracker t, String host) {
        Socket s = new Socket();
        t.onConnect(s, InetSocketAddress.createUnresolved(host, 25), null);
        return s;
    }

    @Test
    void aQueuedDeadlineWakesTheReaperBeforeItIsSorted() {
        Tracker t = new Tracker(new Policy(new int[] {25}, 60_000, true), 10);
        long before = System.nanoTime();
        assertEquals(Long.MAX_VALUE, t.nanosToNextDeadline(before), "nothing waits");
        Socket s = connect(t, "a.example");
        long next = t.nanosToNextDeadline(System.nanoTime());
        assertTrue(next > 50_000_000_000L && next <= 60_000_000_000L, "the queued connection's deadline: " + next);
        assertFalse(t.reaperSleepsUntil(System.nanoTime() + 120_000_000_000L), "a reaper sleeping past it looks again");
        assertTrue(t.reaperSleepsUntil(System.nanoTime() + 1_000_000_000L), "one waking before it may sleep");
        t.sortDeadlines(); // the reaper's look
        assertNull(t.pollDue(System.nanoTime()), "not due yet");
        assertTrue(t.connectionOf(s).sorted, "still waiting when the reaper looked: sorted");
        assertSame(t.connectionOf(s), t.pollDue(System.nanoTime() + 61_000_000_000L), "due a minute later");
    }

    @Test
    void aConnectionGreetedBeforeTheReaperLookedIsNeverSorted() {
        Tracker t = new Tracker(new Policy(new int[] {25}, 60_000, true), 10);
        Socket s = connect(t, "a.example");
        Conn c = t.connectionOf(s);
        t.onRead(s, GREETING, 0, GREETING.length, false);
        assertEquals(Conn.IN_SESSION, c.state());
        t.sortDeadlines(); // the reaper's look
        assertNull(t.pollDue(System.nanoTime() + 120_000_000_000L), "greeted: never due");
        assertFalse(c.sorted, "dropped at the reaper's look without being sorted");
        assertEquals(Long.MAX_VALUE, t.nanosToNextDeadline(System.nanoTime()), "nothing left to wake for");
    }

    @Test
    void aSortedConnectionLeavesOnItsGreetingAndTheRestComeInDeadlineOrder() {
        Policy policy = new Policy(new int[] {25}, 60_000, true);
        policy.destinationBannerTimeoutMillis("short.example", 1_000);
        Tracker t = new Tracker(policy, 10);
        List<Socket> sockets = new ArrayList<>(); // held, so the collector does not end them
        List<Conn> conns = new ArrayList<>();
        for (String host : new String[] {"a.example", "b.example", "short.example"}) {
            sockets.add(connect(t, host));
            conns.add(t.connectionOf(sockets.get(sockets.size() - 1)));
        }
        t.sortDeadlines(); // the reaper's look
        assertNull(t.pollDue(System.nanoTime()), "sorts all three, none due");
        long next = t.nanosToNextDeadline(System.nanoTime());
        assertTrue(next <= 1_000_000_000L, "the short one's deadline comes first: " + next);
        assertTrue(conns.get(1).sorted);
        t.onRead(sockets.get(1), GREETING, 0, GREETING.length, false);
        assertEquals(Conn.IN_SESSION, conns.get(1).state());
        long later = System.nanoTime() + 120_000_000_000L;
        assertSame(conns.get(2), t.pollDue(later), "the one-second deadline first");
        assertSame(conns.get(0), t.pollDue(later));
        assertNull(t.pollDue(later), "the greeted one was taken out of line");
    }
}

package io.smtpwatchdog.track;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The oldest awaiting age of every destination comes from one shared table walk, not one walk per read: real sockets
 * to a listener that never greets, each connected inside a declared delivery for a destination of its own, as the
 * delivery hook would report them.
 */
class OldestAwaitingTest {
    private ServerSocket tarpit;
    private final List<Socket> sockets = new ArrayList<>();
    private Tracker tracker;

    @BeforeEach
    void start() throws Exception {
        tarpit = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        tracker = new Tracker(new Policy(new int[] {25}, 3_600_000, true), 1000);
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        tarpit.close();
    }

    private Socket deliver(String domain) throws Exception {
        tracker.onDelivery(domain, true);
        try {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tarpit.getLocalPort()), 2000);
            sockets.add(s);
            tracker.onConnect(s, s.getRemoteSocketAddress(), null);
            return s;
        } finally {
            tracker.onDelivery(domain, false);
        }
    }

    private long oldest(String domain) {
        return tracker.views().oldestAwaitingMillis(tracker.views().destinationCounters().get(domain));
    }

    private Conn connOf(Socket s) {
        for (Conn c : tracker.views().live()) {
            if (c.get() == s) {
                return c;
            }
        }
        throw new AssertionError("not tracked: " + s);
    }

    @Test
    void oneWalkAnswersEveryDestinationForAsLongAsItsConnectionsAwait() throws Exception {
        for (int i = 0; i < 50; i++) {
            deliver("d" + i + ".example");
        }
        Thread.sleep(60);
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 50; i++) {
                assertTrue(oldest("d" + i + ".example") >= 60, "d" + i);
            }
        }
        assertEquals(1, tracker.views().oldestAwaiting().walks(), "500 reads of 50 stuck destinations");
    }

    @Test
    void aWalkIsRedoneOnlyOnceItsAnswerIsOutOfDate() throws Exception {
        Socket first = deliver("a.example");
        Thread.sleep(300);
        Socket second = deliver("a.example");
        assertTrue(oldest("a.example") >= 300);
        assertEquals(1, tracker.views().oldestAwaiting().walks());

        tracker.onClose(first); // the oldest ends: the kept answer names a connection no longer awaiting
        Thread.sleep(OldestAwaiting.REWALK_NANOS / 1_000_000L + 20);
        long before = connOf(second).ageMillis();
        long age = oldest("a.example");
        long after = connOf(second).ageMillis();
        assertTrue(age >= before && age <= after, "the second connection's age " + before + ".." + after + ": " + age);
        assertEquals(2, tracker.views().oldestAwaiting().walks());

        oldest("a.example");
        assertEquals(2, tracker.views().oldestAwaiting().walks(), "its answer is exact again: no further walk");
    }
}

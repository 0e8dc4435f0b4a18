package io.smtpwatchdog.track;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The servers mail clients open connections to, and whose send each connection was opened for, in order. */
class MailServersTest {
    @Test
    void connectionsTakeTheirSendsDestinationsInTheOrderTheyWereOpened() throws Exception {
        MailServers s = new MailServers();
        InetAddress address = InetAddress.getByAddress("relay.test", new byte[] {10, 0, 0, 1});
        InetSocketAddress relay = new InetSocketAddress(address, 2525);
        assertFalse(s.knows(relay));
        s.opening("relay.test", 2525, "a.example");
        s.opening("relay.test", 2525, null);
        s.opening("relay.test", 2525, "c.example");
        assertTrue(s.knows(relay));
        assertEquals("a.example", s.next(relay));
        assertNull(s.next(relay), "a connection whose send was not known counts under its host name");
        assertEquals("c.example", s.next(relay));
        assertNull(s.next(relay), "none left");
        assertTrue(s.knows(relay), "still a mail server");
    }

    @Test
    void aServerIsKnownByTheNameItWasGivenOrByItsAddress() throws Exception {
        MailServers s = new MailServers();
        s.opening("10.0.0.2", 25, "d.example");
        InetSocketAddress byName = new InetSocketAddress(InetAddress.getByAddress("mx.test", new byte[] {10, 0, 0, 2}),
                25);
        assertTrue(s.knows(byName));
        assertFalse(s.knows(new InetSocketAddress(InetAddress.getByAddress("mx.test", new byte[] {10, 0, 0, 2}), 26)),
                "another port is another server");
        assertEquals("d.example", s.next(byName));
    }

    @Test
    void boundedInServersAndInDecisionsWaiting() throws Exception {
        MailServers s = new MailServers();
        for (int i = 0; i < MailServers.MAX_SERVERS; i++) {
            assertTrue(s.opening("h" + i + ".test", 25, null));
        }
        assertFalse(s.opening("one-more.test", 25, null), "no more servers learned");
        assertTrue(s.opening("h0.test", 25, null), "a known one still takes decisions");
        InetSocketAddress h1 = InetSocketAddress.createUnresolved("h1.test", 25);
        for (int i = 0; i < MailServers.MAX_WAITING + 5; i++) {
            s.opening("h1.test", 25, "d" + i + ".example");
        }
        // 22 decisions for h1 (one unknown, then d0-d20): the 16 newest wait, the older ones were dropped.
        assertEquals("d5.example", s.next(h1), "the oldest beyond " + MailServers.MAX_WAITING + " were dropped");
    }
}

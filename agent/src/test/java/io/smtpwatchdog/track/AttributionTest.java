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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recipient attribution, as the {@code Transport.send} hook drives it: real sockets to a real listener on a port
 * that is not an SMTP port, connected inside a send, land under the recipients' one domain, or under the host name
 * with a note when the recipients span several domains. Addresses are plain objects read through their
 * {@code toString}, as the mail libraries' own are.
 */
class AttributionTest {
    private ServerSocket peer;
    private final List<Socket> sockets = new ArrayList<>();
    private Tracker tracker;

    @BeforeEach
    void start() throws Exception {
        peer = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        tracker = new Tracker(new Policy(new int[] {25}, 60_000, true), 10);
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        peer.close();
    }

    /** An address as javax.mail's InternetAddress prints itself. */
    private static Object address(String text) {
        return new Object() {
            @Override
            public String toString() {
                return text;
            }
        };
    }

    private void connect() throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("localhost", peer.getLocalPort()), 2000);
        sockets.add(s);
        tracker.onConnect(s, s.getRemoteSocketAddress(), null);
    }

    private void sendTo(Object... recipients) throws Exception {
        tracker.onDeliveryTo(recipients);
        try {
            tracker.onDelivery(null, true); // the library's own connect, inside the send, names nothing
            try {
                connect();
            } finally {
                tracker.onDelivery(null, false);
            }
        } finally {
            tracker.onDelivery(null, false);
        }
    }

    private long connects(String destination) {
        Map<String, Long> d = tracker.destinations().get(destination);
        return d == null ? 0 : d.get("connects");
    }

    @Test
    void recipientsInOneDomainNameTheDestination() throws Exception {
        sendTo(address("Ann <ann@One.Example>"), address("bob@one.example"), address("\"Carl\" <carl@ONE.example >"));
        assertEquals(1, connects("one.example"), tracker.destinations().toString());
        assertEquals(1, tracker.destinations().size());
    }

    @Test
    void recipientsInTwoDomainsCountUnderTheHostWithANote() throws Exception {
        sendTo(address("ann@one.example"), address("bob@two.example"), address("carl@one.example"));
        assertEquals(1, connects("localhost (2 recipient domains)"), tracker.destinations().toString());
    }

    @Test
    void addressesWithoutADomainAreSkipped() throws Exception {
        sendTo(address("postmaster"), address("ann@one.example"), null);
        assertEquals(1, connects("one.example"), tracker.destinations().toString());
    }

    @Test
    void noUsableRecipientMeansTheHostName() throws Exception {
        sendTo();
        tracker.onDeliveryTo(null);
        tracker.onDelivery(null, false);
        assertEquals(1, connects("localhost"), tracker.destinations().toString());
    }

    @Test
    void anAddressThatThrowsStillEntersSoTheExitStaysPaired() throws Exception {
        Object bad = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("broken address");
            }
        };
        tracker.onDelivery("outer.example", true); // a declared delivery around the send
        sendTo(bad);
        connect(); // still inside the outer delivery: its destination, not the host name
        tracker.onDelivery(null, false);
        assertEquals(2, connects("outer.example"), tracker.destinations().toString());
    }

    @Test
    void theOutermostKnownDestinationWins() throws Exception {
        tracker.onDelivery("declared.example", true);
        sendTo(address("ann@one.example"), address("bob@two.example"));
        tracker.onDelivery(null, false);
        assertEquals(1, connects("declared.example"), tracker.destinations().toString());
    }

    @Test
    void theNoteEndsWithItsSend() throws Exception {
        sendTo(address("ann@one.example"), address("bob@two.example"));
        Socket after = new Socket();
        after.connect(new InetSocketAddress("localhost", peer.getLocalPort()), 2000);
        sockets.add(after);
        tracker.onConnect(after, after.getRemoteSocketAddress(), null); // outside any send, not an SMTP port
        assertEquals(1, tracker.totals().get("connects"));
        assertTrue(tracker.destinations().containsKey("localhost (2 recipient domains)"));
    }

    @Test
    void domainsAreReadFromTheLastAt() {
        assertEquals("b.example", Recipients.domainOf("\"a@x\" <u@B.Example>"));
        assertEquals("b.example", Recipients.domainOf("u@b.example  "));
        assertNull(Recipients.domainOf("u@ >"));
        assertNull(Recipients.domainOf("undisclosed-recipients:;"));
        assertEquals(3, Recipients.of(new Object[] {"a@x.example", "b@y.example", "c@z.example", "d@x.example"})
                .domains);
    }
}

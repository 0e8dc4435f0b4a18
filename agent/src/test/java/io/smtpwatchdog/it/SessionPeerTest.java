package io.smtpwatchdog.it;

import io.smtpwatchdog.it.SessionPeer.Stall;
import io.smtpwatchdog.it.SessionPeer.Timing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session peers themselves, with a raw client in the test JVM and no agent: each stall stalls where it says, and
 * only there; a late peer is late by its delay and no more; a pipelining peer answers a group in order.
 */
class SessionPeerTest {
    private static final int SO_TIMEOUT = 1000;

    /** A raw SMTP client with a read timeout of its own, reading whole replies. */
    private static final class Client implements AutoCloseable {
        Socket s;
        InputStream in;
        OutputStream out;

        Client(int port) throws IOException {
            s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(SO_TIMEOUT);
            in = s.getInputStream();
            out = s.getOutputStream();
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Every line of one reply, multi-line included. */
        List<String> reply() throws IOException {
            List<String> lines = new ArrayList<>();
            while (true) {
                String l = Peer.readLine(in);
                if (l == null) {
                    throw new IOException("closed by the peer after " + lines);
                }
                lines.add(l);
                if (l.length() == 3 || l.length() > 3 && l.charAt(3) == ' ') {
                    return lines;
                }
            }
        }

        String code() throws IOException {
            return reply().get(0).substring(0, 3);
        }

        List<String> command(String line) throws IOException {
            write(line + "\r\n");
            return reply();
        }

        void startTls() throws Exception {
            SSLSocket tls = (SSLSocket) trusting().getSocketFactory().createSocket(s, "localhost", s.getPort(), true);
            tls.setSoTimeout(SO_TIMEOUT);
            tls.startHandshake();
            s = tls;
            in = tls.getInputStream();
            out = tls.getOutputStream();
        }

        @Override
        public void close() throws IOException {
            s.close();
        }
    }

    private static SSLContext trusting() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(TestTls.keystore())) {
            ks.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @ParameterizedTest
    @EnumSource(Stall.class)
    void eachStallGetsEveryEarlierReplyAndNoneAtItsCommand(Stall stall) throws Exception {
        Collection<String> transcript = new ConcurrentLinkedQueue<>();
        try (Peer peer = Peer.start(SessionPeer.stallAt(stall, transcript))) {
            try (Client c = new Client(peer.port())) {
                assertEquals("220", c.code(), "greeting");
                // Each step: the command, and the phase at which it is the one left unanswered.
                String[][] steps = {
                        {"EHLO client.example", "EHLO"},
                        {"STARTTLS", "STARTTLS_HANDSHAKE"},
                        {"MAIL FROM:<a@client.example>", "MAIL"},
                        {"RCPT TO:<x@one.example>", "RCPT"},
                        {"DATA", "DATA"},
                        {"Subject: t\r\n\r\nbody\r\n.", "END_OF_DATA"},
                };
                for (String[] step : steps) {
                    Stall at = Stall.valueOf(step[1]);
                    if (at == Stall.STARTTLS_HANDSHAKE && stall != at) {
                        continue; // offered only by that peer
                    }
                    c.write(step[0] + "\r\n");
                    if (at == stall && at != Stall.STARTTLS_HANDSHAKE) {
                        long t0 = System.nanoTime();
                        assertThrows(SocketTimeoutException.class, c::reply, "no reply at " + at);
                        assertTrue(System.nanoTime() - t0 >= 900_000_000L, "the client's own 1 s timeout");
                        break;
                    }
                    List<String> reply = c.reply();
                    String code = reply.get(0).substring(0, 3);
                    switch (at) {
                        case EHLO:
                            assertTrue(reply.size() > 1, "multi-line EHLO reply: " + reply);
                            assertEquals(stall == Stall.STARTTLS_HANDSHAKE,
                                    reply.stream().anyMatch(l -> l.contains("STARTTLS")), reply.toString());
                            assertFalse(reply.stream().anyMatch(l -> l.contains("PIPELINING")), reply.toString());
                            assertEquals("250", code);
                            break;
                        case STARTTLS_HANDSHAKE:
                            assertEquals(List.of("220 2.0.0 go ahead"), reply);
                            assertThrows(SocketTimeoutException.class, c::startTls, "the peer never handshakes");
                            break;
                        case DATA:
                            assertEquals("354", code);
                            break;
                        default:
                            assertEquals("250", code, at + ": " + reply);
                    }
                    if (at == Stall.STARTTLS_HANDSHAKE) {
                        break;
                    }
                }
                String point = stall == Stall.END_OF_DATA ? "DOT"
                        : stall == Stall.STARTTLS_HANDSHAKE ? "HANDSHAKE" : stall.name();
                assertTrue(transcript.contains("STALL " + point), transcript.toString());
                assertEquals(1, peer.open(), "the stalled peer keeps the connection open");
            }
            peer.awaitOpen(0, Duration.ofSeconds(5));
        }
    }

    @Test
    void commonsNetsHeloStallsLikeEhlo() throws Exception {
        try (Peer peer = Peer.start(SessionPeer.stallAt(Stall.EHLO));
             Client c = new Client(peer.port())) {
            assertEquals("220", c.code());
            c.write("HELO client.example\r\n");
            assertThrows(SocketTimeoutException.class, c::reply);
        }
    }

    @Test
    void aLatePeerAnswersEveryCommandAfterItsDelayAndNoLater() throws Exception {
        Collection<String> envelopes = new ConcurrentLinkedQueue<>();
        long delay = 300;
        try (Peer peer = Peer.start(SessionPeer.late(Duration.ofMillis(delay), envelopes));
             Client c = new Client(peer.port())) {
            List<Long> took = new ArrayList<>();
            long t0 = System.nanoTime();
            assertEquals("220", c.code());
            took.add(ms(t0));
            String[][] session = {{"EHLO client.example", "250"}, {"MAIL FROM:<a@client.example>", "250"},
                    {"RCPT TO:<x@one.example>", "250"}, {"DATA", "354"}, {"Subject: t\r\n\r\nbody\r\n.", "250"},
                    {"QUIT", "221"}};
            for (String[] step : session) {
                t0 = System.nanoTime();
                assertEquals(step[1], c.command(step[0]).get(0).substring(0, 3), step[0]);
                took.add(ms(t0));
            }
            for (long ms : took) {
                assertTrue(ms >= delay - 20 && ms < delay + 700, "each reply after about " + delay + " ms: " + took);
            }
            assertEquals(List.of("FROM <a@client.example> TO <x@one.example>"), new ArrayList<>(envelopes));
        }
    }

    @Test
    void aLatePeerWithStartTlsIsLateInsideTlsToo() throws Exception {
        Collection<String> envelopes = new ConcurrentLinkedQueue<>();
        try (Peer peer = Peer.start(SessionPeer.late(Duration.ofMillis(200), envelopes, true));
             Client c = new Client(peer.port())) {
            assertEquals("220", c.code());
            assertTrue(c.command("EHLO client.example").contains("250-STARTTLS"));
            assertEquals("220", c.command("STARTTLS").get(0).substring(0, 3));
            c.startTls();
            List<String> ehlo = c.command("EHLO client.example");
            assertFalse(ehlo.stream().anyMatch(l -> l.contains("STARTTLS")), "not offered twice: " + ehlo);
            long t0 = System.nanoTime();
            assertEquals("250", c.command("MAIL FROM:<a@client.example>").get(0).substring(0, 3));
            assertTrue(ms(t0) >= 180, "late inside TLS: " + ms(t0));
            assertEquals("250", c.command("RCPT TO:<x@one.example>").get(0).substring(0, 3));
            assertEquals("354", c.command("DATA").get(0).substring(0, 3));
            assertEquals("250", c.command("body\r\n.").get(0).substring(0, 3));
            assertEquals("221", c.command("QUIT").get(0).substring(0, 3));
            assertEquals(List.of("FROM <a@client.example> TO <x@one.example>"), new ArrayList<>(envelopes));
        }
    }

    private static final String GROUP = "MAIL FROM:<a@client.example>\r\nRCPT TO:<x@one.example>\r\n"
            + "RCPT TO:<y@one.example>\r\nDATA\r\n";

    @Test
    void aPipeliningPeerAnswersAGroupInOrderWithItsDelays() throws Exception {
        Collection<String> envelopes = new ConcurrentLinkedQueue<>();
        try (Peer peer = Peer.start(SessionPeer.pipelining(
                Map.of("MAIL", Duration.ofMillis(200), "RCPT", Duration.ofMillis(100)), envelopes));
             Client c = new Client(peer.port())) {
            assertEquals("220", c.code());
            assertTrue(c.command("EHLO client.example").contains("250-PIPELINING"));
            long t0 = System.nanoTime();
            c.write(GROUP); // one write
            List<String> codes = new ArrayList<>();
            List<Long> at = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                codes.add(c.code());
                at.add(ms(t0));
            }
            assertEquals(List.of("250", "250", "250", "354"), codes);
            assertTrue(at.get(0) >= 180 && at.get(1) >= 280 && at.get(2) >= 380, "delays add up, in order: " + at);
            assertTrue(at.get(3) < 900, "no delay on DATA: " + at);
            assertEquals("250", c.command("body\r\n.").get(0).substring(0, 3));
            assertEquals("221", c.command("QUIT").get(0).substring(0, 3));
            assertEquals(List.of("FROM <a@client.example> TO <x@one.example>,<y@one.example>"),
                    new ArrayList<>(envelopes));
        }
    }

    @Test
    void aPipeliningPeerStalledAtTheSecondRcptAnswersWhatCameBefore() throws Exception {
        Collection<String> envelopes = new ConcurrentLinkedQueue<>();
        try (Peer peer = Peer.start(SessionPeer.pipelining(Timing.prompt().stallingAt("RCPT", 2), envelopes));
             Client c = new Client(peer.port())) {
            c.reply();
            c.command("EHLO client.example");
            c.write(GROUP);
            assertEquals("250", c.code(), "MAIL");
            assertEquals("250", c.code(), "first RCPT");
            assertThrows(SocketTimeoutException.class, c::reply, "no reply to the second RCPT, nor after it");
            assertEquals(1, peer.open());
        }
    }

    @Test
    void aPipeliningPeerAnswersEachCommandAsItComes() throws Exception {
        try (Peer peer = Peer.start(SessionPeer.pipelining(Map.of(), new ConcurrentLinkedQueue<>()));
             Client c = new Client(peer.port())) {
            c.reply();
            c.command("EHLO client.example");
            c.write("MAIL FROM:<a@client.example>\r\nRCPT TO:<x@one.example>\r\n"); // the group is not over yet
            assertEquals("250", c.code());
            assertEquals("250", c.code());
        }
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000L;
    }
}

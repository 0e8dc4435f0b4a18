package io.smtpwatchdog.demo;

import io.smtpwatchdog.demo.outbound.ClientSettings;
import io.smtpwatchdog.demo.outbound.Routes;
import io.smtpwatchdog.demo.outbound.RoutesException;
import io.smtpwatchdog.demo.remote.Sink;
import io.smtpwatchdog.demo.remote.Tarpit;
import io.smtpwatchdog.demo.smtp.Envelope;
import io.smtpwatchdog.demo.smtp.Reply;
import io.smtpwatchdog.demo.spool.Spool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay put together, in process: inbound SMTP, spool, queues, delivery threads, real remote hosts. */
class RelayTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path spoolDir;
    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private final ByteArrayOutputStream status = new ByteArrayOutputStream();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T t) {
        closeAfter.add(t);
        return t;
    }

    private Relay relay(List<String> routes, boolean fixed, Duration retryBase, int maxAttempts)
            throws IOException, RoutesException {
        ClientSettings client = new ClientSettings(fixed, Duration.ofSeconds(10), Duration.ofMillis(300),
                Duration.ofSeconds(20));
        return closeLater(Relay.start(new RelayConfig(0, spoolDir, Routes.parse(routes, "test routes"), 2, 2,
                retryBase, maxAttempts, 1024 * 1024, client, Duration.ofMinutes(10),
                new PrintStream(status, true, StandardCharsets.UTF_8))));
    }

    private Sink sink() throws IOException {
        return closeLater(Sink.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    }

    private static String at(InetSocketAddress address) {
        return "127.0.0.1:" + address.getPort();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Reply submit(Relay relay, String to, String subject) throws IOException {
        try (SmtpTestClient client = SmtpTestClient.connect(relay.address())) {
            return client.mail("sender@example.org", to, "Subject: " + subject + "\r\n\r\nhello\r\n");
        }
    }

    private long spooled() throws IOException {
        try (Stream<Path> s = Files.list(spoolDir)) {
            return s.filter(p -> p.toString().endsWith(".msg")).count();
        }
    }

    private long spooledIn(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".msg")).count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void deliversAcceptedMailAndEmptiesTheSpool() throws Exception {
        Sink sink = sink();
        Relay relay = relay(List.of("good.example " + at(sink.address())), false, Duration.ofSeconds(1), 3);
        assertEquals(250, submit(relay, "user@good.example", "one").code());
        assertTrue(sink.awaitReceived(1, WAIT));
        Await.until("delivered=1", WAIT, () -> relay.status("good.example").delivered() == 1);
        assertEquals(0, spooled());
        relay.printStatus();
        assertEquals("STATUS domain=good.example queued=0 inflight=0 delivered=1 failed=0 slots=0/2",
                status.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void theMessageIsOnDiskBeforeThe250() throws Exception {
        Relay relay = relay(List.of("down.example 127.0.0.1:" + closedPort()), false, Duration.ofMinutes(1), 3);
        Reply reply = submit(relay, "user@down.example", "durable");
        assertEquals(250, reply.code());
        String id = reply.lines().get(0).substring(reply.lines().get(0).lastIndexOf(' ') + 1);
        assertTrue(Files.exists(spoolDir.resolve(id + ".msg")), "spool file for " + id);
    }

    @Test
    void refusesMailForDomainsWithoutARoute() throws Exception {
        Relay relay = relay(List.of("good.example 127.0.0.1:" + closedPort()), false, Duration.ofMinutes(1), 3);
        try (SmtpTestClient client = SmtpTestClient.connect(relay.address())) {
            client.send("EHLO client.test");
            client.send("MAIL FROM:<a@example.org>");
            assertEquals(550, client.send("RCPT TO:<b@elsewhere.example>").code());
        }
    }

    @Test
    void givesUpAfterMaxAttemptsAndMovesTheMessageToFailed() throws Exception {
        Relay relay = relay(List.of("down.example 127.0.0.1:" + closedPort()), false, Duration.ofMillis(50), 3);
        assertEquals(250, submit(relay, "user@down.example", "doomed").code());
        Await.until("failed=1", WAIT, () -> relay.status("down.example").failed() == 1);
        assertEquals(0, spooled());
        assertEquals(1, spooledIn(spoolDir.resolve("failed")));
        assertEquals(0, relay.status("down.example").queued());
        assertEquals(0, relay.status("down.example").slotsUsed(), "refused connections give the slot back");
    }

    @Test
    void retriesUntilTheRemoteHostHeals() throws Exception {
        Tarpit tarpit = closeLater(Tarpit.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Duration.ofMillis(700)));
        Relay relay = relay(List.of("slow.example " + at(tarpit.address())), true, Duration.ofMillis(200), 10);
        assertEquals(250, submit(relay, "user@slow.example", "patience").code());
        Await.until("delivered=1", WAIT, () -> relay.status("slow.example").delivered() == 1);
        assertEquals(1, tarpit.receivedCount());
        assertEquals(0, relay.status("slow.example").slotsUsed());
    }

    @Test
    void aPartlyDeliveredMessageIsNotSentAgainToTheDomainsAlreadyDone() throws Exception {
        Sink good = sink();
        Relay first = relay(List.of("good.example " + at(good.address()),
                "later.example 127.0.0.1:" + closedPort()), false, Duration.ofMinutes(1), 10);
        try (SmtpTestClient client = SmtpTestClient.connect(first.address())) {
            client.send("EHLO client.test");
            client.send("MAIL FROM:<a@example.org>");
            client.send("RCPT TO:<x@good.example>");
            client.send("RCPT TO:<y@later.example>");
            client.send("DATA");
            client.write("Subject: split\r\n\r\nbody\r\n.\r\n");
            assertEquals(250, client.read().code());
        }
        Await.until("good.example delivered", WAIT, () -> first.status("good.example").delivered() == 1);
        first.close();

        Sink later = sink();
        Relay second = relay(List.of("good.example " + at(good.address()),
                "later.example " + at(later.address())), false, Duration.ofMinutes(1), 10);
        assertTrue(later.awaitReceived(1, WAIT));
        Await.until("later.example delivered", WAIT, () -> second.status("later.example").delivered() == 1);
        assertEquals(List.of("y@later.example"), later.received().get(0).envelope().recipients());
        assertEquals(1, good.receivedCount(), "good.example must not get the message twice");
        assertEquals(0, spooled());
    }

    @Test
    void requeuesWhatTheSpoolHoldsOnStart() throws Exception {
        Sink sink = sink();
        Spool spool = new Spool(spoolDir);
        for (int i = 0; i < 3; i++) {
            spool.store(new Envelope("a@example.org", List.of("u" + i + "@good.example")),
                    ("Subject: left over " + i + "\r\n\r\nx\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        Relay relay = relay(List.of("good.example " + at(sink.address())), false, Duration.ofSeconds(1), 3);
        assertTrue(sink.awaitReceived(3, WAIT));
        Await.until("delivered=3", WAIT, () -> relay.status("good.example").delivered() == 3);
        assertEquals(0, spooled());
    }
}

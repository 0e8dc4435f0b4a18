package io.smtpwatchdog.demo.outbound;

import io.smtpwatchdog.demo.Await;
import io.smtpwatchdog.demo.remote.Sink;
import io.smtpwatchdog.demo.remote.Stall;
import io.smtpwatchdog.demo.remote.Tarpit;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbound client against real sockets: a healthy sink, a tarpit, and scripted misbehaviour. */
class OutboundClientTest {
    private static final String DOMAIN = "remote.example";
    private static final byte[] DATA = "Subject: t\r\n\r\n.dot line\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
    private final ConnectionLimiter limiter = new ConnectionLimiter(2);

    private OutboundClient client(boolean fixed) {
        return new OutboundClient("relay.test", limiter, new ClientSettings(fixed, Duration.ofSeconds(10),
                Duration.ofMillis(500), Duration.ofSeconds(20)));
    }

    private Attempt deliver(OutboundClient client, Route route, String... recipients) {
        assertTrue(limiter.acquire(DOMAIN), "test setup: slot available");
        return client.deliver(DOMAIN, route, "sender@example.org", List.of(recipients), DATA);
    }

    private static InetSocketAddress loopback(int port) {
        return InetSocketAddress.createUnresolved("127.0.0.1", port);
    }

    private static Route route(InetSocketAddress... hosts) {
        List<InetSocketAddress> list = new java.util.ArrayList<>();
        for (InetSocketAddress h : hosts) {
            list.add(InetSocketAddress.createUnresolved(h.getAddress().getHostAddress(), h.getPort()));
        }
        return new Route(DOMAIN, list);
    }

    /** A port nobody listens on: bound, noted, closed. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void deliversToAHealthyHostAndReleasesTheSlot() throws Exception {
        try (Sink sink = Sink.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (boolean fixed : new boolean[] {false, true}) {
                Attempt attempt = deliver(client(fixed), route(sink.address()), "a@remote.example", "b@remote.example");
                assertEquals(Map.of("a@remote.example", Attempt.Outcome.DELIVERED,
                        "b@remote.example", Attempt.Outcome.DELIVERED), attempt.outcomes());
                assertEquals(0, limiter.inUse(DOMAIN));
            }
            assertEquals(2, sink.receivedCount());
            String received = new String(sink.received().get(0).data(), StandardCharsets.US_ASCII);
            assertTrue(received.endsWith("Subject: t\r\n\r\n.dot line\r\nbody\r\n"), received);
        }
    }

    @Test
    void triesTheNextHostWhenOneRefuses() throws Exception {
        try (Sink sink = Sink.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Route route = new Route(DOMAIN, List.of(loopback(closedPort()),
                    InetSocketAddress.createUnresolved("127.0.0.1", sink.address().getPort())));
            Attempt attempt = deliver(client(false), route, "a@remote.example");
            assertEquals(Attempt.Outcome.DELIVERED, attempt.outcomes().get("a@remote.example"));
        }
    }

    @Test
    void aRefusedConnectionIsDeferredAndReleasesTheSlotEvenInTheLegacyClient() throws IOException {
        Attempt attempt = deliver(client(false), new Route(DOMAIN, List.of(loopback(closedPort()))), "a@remote.example");
        assertEquals(Attempt.Outcome.DEFERRED, attempt.outcomes().get("a@remote.example"));
        assertEquals(0, limiter.inUse(DOMAIN));
    }

    @Test
    void anUnknownHostIsDeferred() {
        Route route = new Route(DOMAIN, List.of(InetSocketAddress.createUnresolved("no-such-host.invalid", 25)));
        assertEquals(Attempt.Outcome.DEFERRED, deliver(client(false), route, "a@remote.example")
                .outcomes().get("a@remote.example"));
        assertEquals(0, limiter.inUse(DOMAIN));
    }

    @Test
    void handlesMultiLineRepliesAndMixedRecipientOutcomes() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.say("220-remote.example ESMTP", "220-still greeting", "220 go ahead");
            c.expect("EHLO relay.test");
            c.say("250-remote.example", "250-SIZE 1000", "250 8BITMIME");
            c.expect("MAIL FROM:<sender@example.org>");
            c.say("250 ok");
            c.expect("RCPT TO:<a@remote.example>");
            c.say("250 ok");
            c.expect("RCPT TO:<b@remote.example>");
            c.say("550-no such user", "550 really");
            c.expect("RCPT TO:<c@remote.example>");
            c.say("451 try later");
            c.expect("DATA");
            c.say("354 go");
            String content = c.content();
            if (!content.contains("\r\n..dot line\r\n")) {
                throw new IOException("content was not dot-stuffed: " + content);
            }
            c.say("250 queued");
            c.expect("QUIT");
            c.say("221 bye");
        })) {
            Attempt attempt = deliver(client(false), server.route(DOMAIN),
                    "a@remote.example", "b@remote.example", "c@remote.example");
            assertEquals("played", server.outcome());
            assertEquals(Map.of("a@remote.example", Attempt.Outcome.DELIVERED,
                    "b@remote.example", Attempt.Outcome.REJECTED,
                    "c@remote.example", Attempt.Outcome.DEFERRED), attempt.outcomes());
            assertEquals(0, limiter.inUse(DOMAIN));
        }
    }

    @Test
    void fallsBackToHeloWhenEhloIsRefused() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.say("220 old server");
            c.expect("EHLO");
            c.say("500 what?");
            c.expect("HELO relay.test");
            c.say("250 hi");
            c.expect("MAIL");
            c.say("250 ok");
            c.expect("RCPT");
            c.say("250 ok");
            c.expect("DATA");
            c.say("354 go");
            c.content();
            c.say("250 ok");
        })) {
            assertEquals(Attempt.Outcome.DELIVERED,
                    deliver(client(false), server.route(DOMAIN), "a@remote.example").outcomes().get("a@remote.example"));
        }
    }

    @Test
    void transientAndPermanentSessionFailuresReleaseTheSlotInTheLegacyClient() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.say("220 hi");
            c.expect("EHLO");
            c.say("250 hi");
            c.expect("MAIL");
            c.say("451 4.3.0 busy");
        })) {
            Attempt attempt = deliver(client(false), server.route(DOMAIN), "a@remote.example");
            assertEquals(Attempt.Outcome.DEFERRED, attempt.outcomes().get("a@remote.example"));
            assertEquals(0, limiter.inUse(DOMAIN));
        }
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.say("220 hi");
            c.expect("EHLO");
            c.say("250 hi");
            c.expect("MAIL");
            c.say("250 ok");
            c.expect("RCPT");
            c.say("250 ok");
            c.expect("DATA");
            c.say("354 go");
            c.content();
            c.say("554 5.7.1 spam");
        })) {
            Attempt attempt = deliver(client(false), server.route(DOMAIN), "a@remote.example");
            assertEquals(Attempt.Outcome.REJECTED, attempt.outcomes().get("a@remote.example"));
            assertEquals(0, limiter.inUse(DOMAIN));
        }
    }

    @Test
    void aHangUpAfterTheGreetingIsDeferredAndReleases() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.say("220 hi");
            c.expect("EHLO");
            c.hangUp();
        })) {
            Attempt attempt = deliver(client(false), server.route(DOMAIN), "a@remote.example");
            assertEquals(Attempt.Outcome.DEFERRED, attempt.outcomes().get("a@remote.example"));
            assertEquals(0, limiter.inUse(DOMAIN));
        }
    }

    @Test
    void aNegativeGreetingIsAReplyNotAnExceptionAndReleases() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.say("554 no service here");
            c.expect("QUIT");
        })) {
            Attempt attempt = deliver(client(false), server.route(DOMAIN), "a@remote.example");
            assertEquals(Attempt.Outcome.REJECTED, attempt.outcomes().get("a@remote.example"));
            assertEquals(0, limiter.inUse(DOMAIN));
        }
    }

    @Test
    void defect2TheLegacyClientLeaksTheSlotWhenTheGreetingWaitEndsInAnException() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ScriptedServer.Conversation::hangUp)) {
            Attempt attempt = deliver(client(false), server.route(DOMAIN), "a@remote.example");
            assertEquals(Attempt.Outcome.DEFERRED, attempt.outcomes().get("a@remote.example"));
            assertEquals(1, limiter.inUse(DOMAIN), "the legacy client must leak the slot (DEFECT 2)");
        }
        try (ScriptedServer server = ScriptedServer.start(c -> c.say("this is no SMTP greeting"))) {
            deliver(client(false), server.route(DOMAIN), "a@remote.example");
            assertEquals(2, limiter.inUse(DOMAIN));
            assertFalse(limiter.acquire(DOMAIN), "after two leaks the domain has no slot left");
        }
    }

    @Test
    void theFixedClientReleasesTheSlotWhenTheGreetingWaitEndsInAnException() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ScriptedServer.Conversation::hangUp)) {
            deliver(client(true), server.route(DOMAIN), "a@remote.example");
            assertEquals(0, limiter.inUse(DOMAIN));
        }
    }

    @Test
    void theFixedClientGivesUpOnASilentHostAfterTheGreetingTimeout() throws Exception {
        try (Tarpit tarpit = Tarpit.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Duration.ofHours(1))) {
            long start = System.nanoTime();
            Attempt attempt = deliver(client(true), route(tarpit.address()), "a@remote.example");
            assertEquals(Attempt.Outcome.DEFERRED, attempt.outcomes().get("a@remote.example"));
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(450).toNanos(), "waited the greeting timeout");
            assertEquals(0, limiter.inUse(DOMAIN));
            Await.until("the tarpit to see the connection closed", Duration.ofSeconds(20),
                    () -> tarpit.openConnections() == 0);
        }
    }

    @Test
    void defect1TheLegacyClientWaitsForAGreetingForEver() throws Exception {
        Tarpit tarpit = Tarpit.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Duration.ofHours(1));
        try {
            OutboundClient legacy = client(false);
            CompletableFuture<Attempt> delivery = CompletableFuture.supplyAsync(
                    () -> deliver(legacy, route(tarpit.address()), "a@remote.example"));
            Await.until("the client to connect to the tarpit", Duration.ofSeconds(20),
                    () -> tarpit.openConnections() == 1);
            // Proving a wait is endless needs some bound: four times the fixed client's greeting timeout.
            assertThrows(TimeoutException.class, () -> delivery.get(2, TimeUnit.SECONDS));
            assertEquals(1, limiter.inUse(DOMAIN));

            // Closing the connection from the far side is the only thing that ends the wait; and then DEFECT 2.
            tarpit.close();
            Attempt attempt = delivery.get(20, TimeUnit.SECONDS);
            assertEquals(Attempt.Outcome.DEFERRED, attempt.outcomes().get("a@remote.example"));
            assertEquals(1, limiter.inUse(DOMAIN), "the slot leaks once the wait ends in an exception");
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } finally {
            tarpit.close();
        }
    }

    @Test
    void pastTheGreetingTheClientWaitsForTheMailReplyAsLongAsItsReplyTimeout() throws Exception {
        Stall stall = Stall.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try {
            OutboundClient legacy = client(false);
            CompletableFuture<Attempt> delivery = CompletableFuture.supplyAsync(
                    () -> deliver(legacy, route(stall.address()), "a@remote.example"));
            Await.until("the client to send MAIL FROM", Duration.ofSeconds(20), () -> stall.stalledConnections() == 1);
            // The greeting came, so no greeting bound applies here: only the 20 s reply timeout would end this.
            assertThrows(TimeoutException.class, () -> delivery.get(1, TimeUnit.SECONDS));
            assertEquals(1, limiter.inUse(DOMAIN));

            stall.close();
            Attempt attempt = delivery.get(20, TimeUnit.SECONDS);
            assertEquals(Attempt.Outcome.DEFERRED, attempt.outcomes().get("a@remote.example"));
            assertEquals(0, limiter.inUse(DOMAIN), "a session that fails after the greeting gives its slot back");
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } finally {
            stall.close();
        }
    }

    @Test
    void aHealedTarpitGreetsNewConnections() throws Exception {
        try (Tarpit tarpit = Tarpit.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Duration.ZERO)) {
            assertTrue(tarpit.healed());
            Attempt attempt = deliver(client(false), route(tarpit.address()), "a@remote.example");
            assertEquals(Attempt.Outcome.DELIVERED, attempt.outcomes().get("a@remote.example"));
            assertEquals(1, tarpit.receivedCount());
        }
    }
}

package io.smtpwatchdog.demo;

import io.smtpwatchdog.demo.remote.ReceivedMessage;
import io.smtpwatchdog.demo.remote.Sink;
import io.smtpwatchdog.demo.smtp.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing the relay answered 250 is lost when it is killed with SIGKILL while mail flows in and out.
 *
 * <p>SMTP hands over responsibility at the 250 after the data (RFC 5321 §6.1): between the remote host's 250
 * and the relay's removal of the message from its spool there is a window in which a crash leads to a second
 * delivery. So duplicates are allowed, at most one per delivery thread per kill, and losses are not.
 */
class DurabilityIT {
    private static final int THREADS = 2;
    private static final int KILLS = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final Set<String> accepted = ConcurrentHashMap.newKeySet();

    @Test
    void everyAcceptedMessageIsDeliveredOrStillSpooledAcrossKills() throws Exception {
        // The sink takes its time over each message, so kills land in the middle of deliveries.
        try (Sink sink = Sink.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Duration.ofMillis(25))) {
            Path routes = dir.resolve("routes.txt");
            Files.writeString(routes, "* 127.0.0.1:" + sink.address().getPort() + "\n");
            Path spool = dir.resolve("spool");
            String[] args = {"--port", "0", "--spool", spool.toString(), "--routes", routes.toString(),
                    "--threads", String.valueOf(THREADS), "--retry-base", "200ms", "--status-interval", "1s"};

            for (int round = 1; round <= KILLS; round++) {
                try (ChildJvm relay = ChildJvm.start("durability-" + round, args)) {
                    InetSocketAddress address = listening(relay);
                    int acceptedBefore = accepted.size();
                    int deliveredBefore = sink.receivedCount();
                    Thread submitter = submitInBackground(address, round);
                    Await.until("mail flowing in and out in round " + round, WAIT,
                            () -> accepted.size() >= acceptedBefore + 25 && sink.receivedCount() >= deliveredBefore + 5);
                    relay.kill();
                    submitter.join(WAIT.toMillis());
                }
            }

            try (ChildJvm relay = ChildJvm.start("durability-final", args)) {
                listening(relay);
                Await.until("the restarted relay to deliver everything", WAIT,
                        () -> received(sink).keySet().containsAll(accepted) && SpooledIds.in(spool).isEmpty());
            }

            Map<String, Integer> received = received(sink);
            Set<String> stillSpooled = SpooledIds.in(spool);
            Set<String> lost = new HashSet<>(accepted);
            lost.removeAll(received.keySet());
            lost.removeAll(stillSpooled);
            assertTrue(lost.isEmpty(), () -> "accepted but neither delivered nor spooled: " + lost);

            int duplicates = received.values().stream().mapToInt(n -> n - 1).sum();
            System.out.printf("durability: accepted=%d delivered=%d distinct=%d duplicates=%d kills=%d%n",
                    accepted.size(), sink.receivedCount(), received.size(), duplicates, KILLS);
            assertTrue(duplicates <= THREADS * KILLS,
                    () -> duplicates + " duplicate deliveries; at most " + THREADS * KILLS + " expected");
            assertTrue(accepted.size() >= 25 * KILLS, "enough mail to mean something: " + accepted.size());
            assertEquals(List.of(), names(spool.resolve("failed")));
            assertEquals(List.of(), names(spool.resolve("corrupt")));
        }
    }

    private static InetSocketAddress listening(ChildJvm relay) throws InterruptedException {
        String line = relay.awaitLine("LISTENING ", WAIT);
        String[] hostPort = line.substring("LISTENING ".length()).split(":");
        return new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    }

    /** Submits mail until the relay dies; records each Message-ID the relay answered 250 for. */
    private Thread submitInBackground(InetSocketAddress relay, int round) {
        Thread thread = new Thread(() -> {
            int n = 0;
            try (Submitter submitter = new Submitter(relay)) {
                while (true) {
                    String id = "<round" + round + "-" + (++n) + "@durability.test>";
                    Reply reply = submitter.send(id);
                    if (reply.code() == 250) {
                        accepted.add(id);
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // The relay was killed; whatever was mid-submission was never acknowledged.
            }
        }, "submitter-" + round);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** A thin wrapper so the loop above reads as what it does. */
    private static final class Submitter implements AutoCloseable {
        private final io.smtpwatchdog.demo.demo.Submitter smtp;

        Submitter(InetSocketAddress relay) throws IOException {
            smtp = io.smtpwatchdog.demo.demo.Submitter.connect(relay, Duration.ofSeconds(30));
        }

        Reply send(String messageId) throws IOException {
            return smtp.send("sender@durability.test", "user@anywhere.example",
                    io.smtpwatchdog.demo.demo.Submitter.message("sender@durability.test", "user@anywhere.example",
                            messageId, "durability"));
        }

        @Override
        public void close() throws IOException {
            smtp.close();
        }
    }

    private static Map<String, Integer> received(Sink sink) {
        Map<String, Integer> counts = new HashMap<>();
        for (ReceivedMessage m : sink.received()) {
            m.messageId().ifPresent(id -> counts.merge(id, 1, Integer::sum));
        }
        return counts;
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}

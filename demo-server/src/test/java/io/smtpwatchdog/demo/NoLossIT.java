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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * R7 (issue 6): the demo-server loses no message it answered 250 for, across the agent's reaps, the relay's retries,
 * a SIGKILL, a restart on the same spool without {@code -javaagent}, and the agent attached at runtime with its CLI.
 *
 * <p>The relay serves two domains: good.example goes to a healthy sink that takes its time over each message (so the
 * kill lands mid-delivery), tarpit.example to a host the test makes silent and healthy again. The first relay runs
 * with {@code -javaagent} and the shipped declarations: the silent host's connections are reaped, the slots the relay
 * leaks (its DEFECT 2) are given back, and the messages are retried. It is killed with SIGKILL while mail flows in and
 * out. The second relay starts on the same spool with no agent, the agent is attached with
 * {@code java -jar smtp-watchdog-agent.jar attach <pid>}, the host goes silent again, is reaped again, heals, and
 * everything drains. Duplicates are bounded as in {@link DurabilityIT}: at most one per delivery thread per kill.
 */
class NoLossIT {
    private static final int THREADS = 3;
    private static final int KILLS = 1;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String AGENT_OPTIONS = "bannerTimeout=2s,slotGrace=1s";
    private static final Pattern REAP = Pattern.compile("reaped SMTP connection #\\d+ to tarpit\\.example ");
    private static final Pattern GAVE_BACK = Pattern.compile("gave back a slot of tarpit\\.example: ");
    private static final Pattern RETRY = Pattern.compile("tarpit\\.example: \\S+ deferred \\(attempt ");

    @TempDir
    Path dir;

    /** Message-ID to recipient domain, for every message the relay answered 250. */
    private final Map<String, String> accepted = new ConcurrentHashMap<>();

    @Test
    void everyAcceptedMessageIsDeliveredAcrossReapsRetriesASigkillAndAnAttach() throws Exception {
        long start = System.nanoTime();
        String agentJar = System.getProperty("agent.jar");
        String declarations = System.getProperty("demo.declarations");
        assertTrue(Files.isRegularFile(Path.of(agentJar)), "build the agent first (mvn -B verify from the root)");
        String agentOptions = "config=" + declarations + "," + AGENT_OPTIONS;
        try (Sink sink = Sink.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Duration.ofMillis(25));
             FlakyRemote tarpit = FlakyRemote.start(false)) {
            Path routes = dir.resolve("routes.txt");
            Files.writeString(routes, "good.example 127.0.0.1:" + sink.address().getPort() + "\n"
                    + "tarpit.example 127.0.0.1:" + tarpit.address().getPort() + "\n");
            Path spool = dir.resolve("spool");
            String[] args = {"--port", "0", "--spool", spool.toString(), "--routes", routes.toString(),
                    "--threads", String.valueOf(THREADS), "--per-domain-limit", "2", "--retry-base", "100ms",
                    "--max-attempts", "1000", "--connect-timeout", "5s", "--status-interval", "1s"};

            // Run 1: the agent from the start. The relay waits for its hooks (startupWait), and the tarpit domain's
            // host goes silent only once the declarations are in: a socket connected before the hooks are live is
            // one the agent never sees, and a busy machine has taken 10 s to install them.
            String log1;
            try (ChildJvm relay = ChildJvm.start("noloss-javaagent", List.of("-javaagent:" + agentJar + "="
                    + agentOptions + ",startupWait=1m"), args)) {
                Traffic traffic = Traffic.start(listening(relay), "r1", accepted);
                awaitDeclarations(relay);
                tarpit.silent(true);
                Await.until("reaps, a slot given back and mail flowing in and out before the kill", WAIT,
                        () -> count(REAP, relay.stderr()) >= 2 && count(GAVE_BACK, relay.stderr()) >= 1
                                && accepted.size() >= 40 && sink.receivedCount() >= 10);
                relay.kill();
                traffic.join();
                log1 = relay.stderr();
            }
            int acceptedBeforeKill = accepted.size();

            // Run 2: the same spool, no -javaagent. The host heals first, so the restarted relay's first deliveries
            // finish: a read that began before the attach is one the agent cannot end (docs/operator-guide.md, "The
            // command line").
            tarpit.silent(false);
            String log2;
            try (ChildJvm relay = ChildJvm.start("noloss-attached", List.of("-XX:+EnableDynamicAgentLoading"),
                    args)) {
                Traffic traffic = Traffic.start(listening(relay), "r2", accepted);
                String[] attach = AgentCli.run("attach", String.valueOf(relay.pid()), agentOptions);
                assertEquals("0", attach[0], "attach failed: " + attach[2]);
                assertTrue(attach[1].contains("attached: SMTP Watchdog in process " + relay.pid()), attach[1]);
                awaitDeclarations(relay);
                int acceptedAtAttach = accepted.size();
                tarpit.silent(true);
                Await.until("reaps and a slot given back by the attached agent", WAIT,
                        () -> count(REAP, relay.stderr()) >= 2 && count(GAVE_BACK, relay.stderr()) >= 1
                                && accepted.size() >= acceptedAtAttach + 20);
                tarpit.silent(false);
                int acceptedAtHeal = accepted.size();
                Await.until("mail still accepted after the heal", WAIT, () -> accepted.size() >= acceptedAtHeal + 10);
                traffic.stop();
                Await.until("the relay to deliver everything it accepted", WAIT,
                        () -> delivered(sink, tarpit).keySet().containsAll(accepted.keySet())
                                && SpooledIds.in(spool).isEmpty());
                log2 = relay.stderr();
            }

            Map<String, Integer> delivered = delivered(sink, tarpit);
            Set<String> lost = new HashSet<>(accepted.keySet());
            lost.removeAll(delivered.keySet());
            lost.removeAll(SpooledIds.in(spool));
            assertTrue(lost.isEmpty(), () -> "accepted (250) but neither delivered nor spooled: " + lost);
            int duplicates = delivered.values().stream().mapToInt(n -> n - 1).sum();
            long toTarpit = accepted.values().stream().filter("tarpit.example"::equals).count();
            System.out.printf("noloss: accepted=%d (good.example=%d tarpit.example=%d, %d before the kill) "
                            + "delivered=%d distinct=%d duplicates=%d kills=%d reaps=%d+%d slotsGivenBack=%d+%d "
                            + "retries=%d+%d seconds=%d%n",
                    accepted.size(), accepted.size() - toTarpit, toTarpit, acceptedBeforeKill,
                    delivered.values().stream().mapToInt(Integer::intValue).sum(), delivered.size(), duplicates, KILLS,
                    count(REAP, log1), count(REAP, log2), count(GAVE_BACK, log1), count(GAVE_BACK, log2),
                    count(RETRY, log1), count(RETRY, log2), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
            assertTrue(duplicates <= THREADS * KILLS,
                    () -> duplicates + " duplicate deliveries; at most " + THREADS * KILLS + " expected");
            assertTrue(toTarpit >= 10 && accepted.size() - toTarpit >= 10, "both domains carried mail: " + toTarpit
                    + " of " + accepted.size() + " to tarpit.example");
            assertTrue(count(RETRY, log2) >= 1, "the reaped deliveries were retried after the attach: " + log2);
            assertEquals(List.of(), names(spool.resolve("failed")));
            assertEquals(List.of(), names(spool.resolve("corrupt")));
        }
    }

    /** Submits mail to both domains in turn until stopped or the relay dies, recording each 250. */
    private static final class Traffic {
        private final Thread thread;
        private volatile boolean stopped;

        private Traffic(InetSocketAddress relay, String run, Map<String, String> accepted) {
            thread = new Thread(() -> {
                String[] domains = {"good.example", "tarpit.example"};
                try (Submitter submitter = new Submitter(relay)) {
                    for (int n = 1; !stopped; n++) {
                        String domain = domains[n % 2];
                        String id = "<" + run + "-" + n + "@noloss.test>";
                        if (submitter.send(id, "user@" + domain).code() == 250) {
                            accepted.put(id, domain);
                        }
                        Thread.sleep(20); // a steady trickle: enough mail, and the spool stays small
                    }
                } catch (IOException | UncheckedIOException e) {
                    // The relay was killed; whatever was mid-submission was never acknowledged.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "traffic-" + run);
            thread.setDaemon(true);
        }

        static Traffic start(InetSocketAddress relay, String run, Map<String, String> accepted) {
            Traffic traffic = new Traffic(relay, run, accepted);
            traffic.thread.start();
            return traffic;
        }

        void stop() throws InterruptedException {
            stopped = true;
            join();
        }

        void join() throws InterruptedException {
            thread.join(WAIT.toMillis());
        }
    }

    /** The demo's own submitter, speaking SMTP to the relay's inbound port. */
    private static final class Submitter implements AutoCloseable {
        private final io.smtpwatchdog.demo.demo.Submitter smtp;

        Submitter(InetSocketAddress relay) throws IOException {
            smtp = io.smtpwatchdog.demo.demo.Submitter.connect(relay, Duration.ofSeconds(30));
        }

        Reply send(String messageId, String to) throws IOException {
            return smtp.send("sender@noloss.test", to,
                    io.smtpwatchdog.demo.demo.Submitter.message("sender@noloss.test", to, messageId, "noloss"));
        }

        @Override
        public void close() throws IOException {
            smtp.close();
        }
    }

    private static InetSocketAddress listening(ChildJvm relay) throws InterruptedException {
        String line = relay.awaitLine("LISTENING ", WAIT);
        String[] hostPort = line.substring("LISTENING ".length()).split(":");
        return new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    }

    /** Waits until the agent in {@code relay} is active with the delivery and slot declarations installed. */
    private static void awaitDeclarations(ChildJvm relay) {
        Await.until("the agent active with its declarations installed in the relay", WAIT, () -> {
            String log = relay.stderr();
            return log.contains("smtp-watchdog active in ") && log.matches("(?s).*declared delivery \\S+ installed.*")
                    && log.matches("(?s).*declared slotAcquire \\S+ installed.*");
        });
    }

    /** Message-ID to the number of deliveries, at both remote hosts together. */
    private static Map<String, Integer> delivered(Sink sink, FlakyRemote tarpit) {
        Map<String, Integer> counts = new HashMap<>(tarpit.received());
        for (ReceivedMessage m : sink.received()) {
            m.messageId().ifPresent(id -> counts.merge(id, 1, Integer::sum));
        }
        return counts;
    }

    private static int count(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static List<String> names(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}

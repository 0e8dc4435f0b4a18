package io.smtpwatchdog.demo;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's CLI against the demo-server: {@code status} of a relay running with the agent, and the stuck-then-attach
 * story: a relay started without the agent, both delivery threads stuck on the tarpit; {@code attach} rescues them and
 * good.example flows; after the heal, {@code release-slot} gives back the two slots the relay leaked before the agent
 * arrived and tarpit.example is delivered, all without a restart. Without {@code release-slot}, tarpit.example stays
 * stuck and the agent's log says why, and what to run.
 */
class CliWithDemoIT {
    private static final Duration RUN_LIMIT = Duration.ofSeconds(120);
    /** A bound for each wait of the stuck-then-attach story, whose demo ends by itself after {@link #STORY}'s 25 s. */
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration HEAL_AFTER = Duration.ofSeconds(8);
    /**
     * Three messages per domain; the tarpit heals 8 s after the start, the demo prints its SUMMARY lines and exits
     * 25 s after it; STATUS every second; the simulated remote hosts on ports of the system's choosing.
     */
    private static final String[] STORY = {"--demo", "--messages", "3", "--heal-after", "8s", "--duration", "25s",
            "--status-interval", "1s", "--remote-port", "0"};
    private static final Set<String> DELIVERY_THREADS = Set.of("delivery-1", "delivery-2");
    private static final Pattern RESCUED = Pattern.compile("rescued SMTP connection #\\d+ to \\S+ \\(\\S+\\) found at "
            + "attach: host thread '([^']+)' was blocked in the same read for \\d+ ms with nothing to read "
            + "\\(bannerTimeout 3s\\); it gets a SocketException");
    private static final Pattern NO_SLOT = Pattern.compile("host thread '([^']+)' released no slot within slotGrace 2s "
            + "after connection #\\d+ to \\S+ was rescued: .* give it back with: java -jar smtp-watchdog-agent\\.jar "
            + "release-slot (\\d+) <domain> \\[count\\]");

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void statusShowsTheRelaysDestinationsAsTheAgentSeesThem() throws Exception {
        String agent = "-javaagent:" + System.getProperty("agent.jar") + "=config="
                + System.getProperty("demo.declarations") + ",bannerTimeout=2s";
        try (ChildJvm demo = ChildJvm.start("demo-cli-status", List.of(agent), "--demo", "--messages", "2",
                "--heal-after", "100s", "--duration", "30s", "--remote-port", String.valueOf(freePort()))) {
            demo.awaitLine("LISTENING ", RUN_LIMIT);
            long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
            String[] status;
            do { // until the tarpit's first connections are reaped and good.example's MBean has followed (<= 1 s)
                Thread.sleep(500);
                status = AgentCli.run("status", String.valueOf(demo.pid()));
            } while (!(status[1].matches("(?s).*\\ntarpit\\.example\\s+\\d+\\s+\\d+\\s+\\d+\\s+[1-9].*")
                    && status[1].matches("(?s).*\\ngood\\.example\\s+.*")) && System.nanoTime() < deadline);
            assertEquals("0", status[0], status[2]);
            assertTrue(status[1].startsWith("SMTP Watchdog in process " + demo.pid() + ": mode enforce, "
                    + "bannerTimeout 2s"), status[1]);
            assertTrue(status[1].matches("(?s).*\\ngood\\.example\\s+.*"), "good.example has a row: " + status[1]);
            assertTrue(status[1].matches("(?s).*\\ntarpit\\.example\\s+\\d+\\s+\\d+\\s+\\d+\\s+[1-9].*"),
                    "tarpit.example shows its reaps: " + status[1]);
            assertTrue(status[1].contains("(total)"), status[1]);
        }
    }

    /**
     * The demo's stuck-then-attach story, up to where the two variants part: the relay runs without the agent until
     * both delivery threads wait for the tarpit's greeting and good.example mail sits queued behind them; then the
     * operator attaches with the shipped declarations, the agent finds and rescues the two threads, good.example is
     * delivered, and the agent says that the rescued threads gave no slot back. Returns when the tarpit has healed by.
     */
    private static long attachToTheStuckRelay(ChildJvm demo, Phases phases) throws Exception {
        demo.awaitLine("REMOTE domain=tarpit.example", WAIT);
        long healedBy = System.nanoTime() + HEAL_AFTER.toNanos(); // the tarpit started before it printed that line
        demo.awaitLine("STATUS domain=tarpit.example queued=1 inflight=2", WAIT); // both threads in the tarpit
        phases.mark("stuck");
        assertTrue(demo.lines().contains("STATUS domain=good.example queued=3 inflight=0 delivered=0 failed=0 "
                + "slots=0/2"), "good.example waits behind them: " + demo.lines());

        String pid = String.valueOf(demo.pid());
        String[] attached = AgentCli.run("attach", pid, "bannerTimeout=3s,config="
                + System.getProperty("demo.declarations"));
        phases.mark("attached");
        System.out.println("$ attach " + pid + "\n" + attached[1] + attached[2]);
        assertEquals("0", attached[0], attached[2]);
        assertTrue(attached[1].startsWith("attached: SMTP Watchdog in process " + pid + ": mode enforce, "
                + "bannerTimeout 3s"), attached[1]);

        awaitThreads(demo, "the agent to rescue both delivery threads", RESCUED, pid);
        phases.mark("rescued");
        Await.until("good.example to be delivered once the threads are free", WAIT, () -> demo.lines().contains(
                "STATUS domain=good.example queued=0 inflight=0 delivered=3 failed=0 slots=0/2"));
        phases.mark("good.example delivered");
        awaitThreads(demo, "the agent to say that the rescued threads gave no slot back", NO_SLOT, pid);
        phases.mark("no-slot lines");
        return healedBy;
    }

    /** Waits for {@code line} in the agent's log for each delivery thread; with a pid, that it names {@code pid}. */
    private static void awaitThreads(ChildJvm demo, String description, Pattern line, String pid) {
        try {
            Await.until(description, WAIT, () -> threadsIn(demo.stderr(), line, pid).equals(DELIVERY_THREADS));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; stdout: " + demo.lines() + "; stderr: " + demo.stderr(), e);
        }
    }

    private static Set<String> threadsIn(String log, Pattern line, String pid) {
        Set<String> threads = new TreeSet<>();
        Matcher m = line.matcher(log);
        while (m.find()) {
            if (m.groupCount() < 2 || m.group(2).equals(pid)) {
                threads.add(m.group(1));
            }
        }
        return threads;
    }

    @Test
    void attachRescuesAStuckRelayAndReleaseSlotGivesBackTheSlotsItLeakedBeforeTheAgent() throws Exception {
        Phases phases = new Phases();
        try (ChildJvm demo = ChildJvm.start("demo-cli-rescue-release-slot",
                List.of("-XX:+EnableDynamicAgentLoading"), STORY)) {
            long healedBy = attachToTheStuckRelay(demo, phases);
            long untilHealed = healedBy - System.nanoTime();
            if (untilHealed > 0) {
                TimeUnit.NANOSECONDS.sleep(untilHealed);
            }
            String pid = String.valueOf(demo.pid());
            String[] released = AgentCli.run("release-slot", pid, "tarpit.example", "2");
            phases.mark("release-slot");
            System.out.println("$ release-slot " + pid + " tarpit.example 2\n" + released[1] + released[2]);
            assertEquals("0", released[0], released[2]);
            assertTrue(released[1].startsWith("released 2 slots of tarpit.example in process " + pid + ": called "
                    + "io.smtpwatchdog.demo.outbound.ConnectionLimiter#release(java.lang.String)@0 2 times with "
                    + "'tarpit.example' on io.smtpwatchdog.demo.outbound.ConnectionLimiter@"), released[1]);

            assertEquals(0, demo.awaitExit(WAIT));
            phases.mark("exit");
            System.out.println("stuck-then-attach with release-slot: " + phases);
            Map<String, Map<String, String>> summary = Summaries.byDomain(demo.lines());
            assertEquals(Map.of("domain", "good.example", "delivered", "3", "queued", "0", "failed", "0",
                    "slots", "0/2", "open_connections", "0"), summary.get("good.example"), demo.lines().toString());
            assertEquals(Map.of("domain", "tarpit.example", "delivered", "3", "queued", "0", "failed", "0",
                    "slots", "0/2", "open_connections", "0"), summary.get("tarpit.example"), demo.lines().toString());
            assertTrue(demo.stderr().contains("operator action releaseSlot('tarpit.example', 2): called "
                    + "io.smtpwatchdog.demo.outbound.ConnectionLimiter#release(java.lang.String)@0 2 times"),
                    demo.stderr());
        }
    }

    @Test
    void withoutReleaseSlotTarpitMailStaysStuckOnTheLeakedSlotsAndTheLogSaysWhy() throws Exception {
        Phases phases = new Phases();
        try (ChildJvm demo = ChildJvm.start("demo-cli-rescue-no-release-slot",
                List.of("-XX:+EnableDynamicAgentLoading"), STORY)) {
            attachToTheStuckRelay(demo, phases); // asserts the "released no slot ... release-slot <pid>" lines
            assertEquals(0, demo.awaitExit(WAIT));
            phases.mark("exit");
            System.out.println("stuck-then-attach without release-slot: " + phases);
            Map<String, Map<String, String>> summary = Summaries.byDomain(demo.lines());
            assertEquals(Map.of("domain", "good.example", "delivered", "3", "queued", "0", "failed", "0",
                    "slots", "0/2", "open_connections", "0"), summary.get("good.example"), demo.lines().toString());
            // The tarpit healed long before the end, but the two slots the rescued threads leaked are still taken.
            assertEquals(Map.of("domain", "tarpit.example", "delivered", "0", "queued", "3", "failed", "0",
                    "slots", "2/2", "open_connections", "0"), summary.get("tarpit.example"), demo.lines().toString());
            assertTrue(demo.stderr().contains("if that domain stays stuck, give it back with: java -jar "
                    + "smtp-watchdog-agent.jar release-slot " + demo.pid() + " <domain> [count]"), demo.stderr());
            assertFalse(demo.stderr().contains("operator action"), demo.stderr());
        }
    }

    /** Seconds since the test began at which each step of the story was done, for the report. */
    private static final class Phases {
        private final long start = System.nanoTime();
        private final StringBuilder text = new StringBuilder();

        void mark(String what) {
            text.append(text.length() == 0 ? "" : ", ").append(what).append(String.format(" %.1fs",
                    (System.nanoTime() - start) / 1e9));
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}

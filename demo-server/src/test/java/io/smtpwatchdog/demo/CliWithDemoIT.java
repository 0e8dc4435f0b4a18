package io.smtpwatchdog.demo;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's CLI against the demo-server: {@code status} of a relay running with the agent, and {@code attach} to a
 * relay already stuck on the tarpit, where the agent names the threads it cannot free.
 */
class CliWithDemoIT {
    private static final Duration RUN_LIMIT = Duration.ofSeconds(120);

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

    @Test
    void attachingToAStuckRelayNamesTheThreadsItCannotFree() throws Exception {
        int port = freePort();
        try (ChildJvm demo = ChildJvm.start("demo-cli-attach", List.of(), "--demo", "--messages", "2",
                "--heal-after", "100s", "--duration", "25s", "--remote-port", String.valueOf(port))) {
            demo.awaitLine("STATUS domain=tarpit.example queued=0 inflight=2", RUN_LIMIT); // both threads stuck
            String[] attached = AgentCli.run("attach", String.valueOf(demo.pid()), "bannerTimeout=2s,ports=" + port);
            assertEquals("0", attached[0], attached[2]);
            assertTrue(attached[1].contains("attached: SMTP Watchdog in process " + demo.pid()), attached[1]);
            assertEquals(0, demo.awaitExit(RUN_LIMIT));
            String log = demo.stderr();
            assertTrue(log.contains("thread 'delivery-1' was already blocked in a socket read when the agent was "
                    + "attached"), log);
            assertTrue(log.contains("thread 'delivery-2' was already blocked"), log);
            // The honest limit: reads that began before the attach cannot be ended by the agent.
            Map<String, Map<String, String>> summary = Summaries.byDomain(demo.lines());
            assertEquals("0", summary.get("good.example").get("delivered"), demo.lines().toString());
            assertEquals("2", summary.get("tarpit.example").get("open_connections"));
        }
    }
}

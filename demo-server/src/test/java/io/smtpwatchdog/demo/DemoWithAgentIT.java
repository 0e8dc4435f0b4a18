package io.smtpwatchdog.demo;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unmodified demo-server with the real agent attached, only {@code bannerTimeout} set: the agent reaps the
 * tarpit's connections, so good.example mail flows while tarpit.example stays stuck. Its slots still leak (the
 * relay's second defect): the agent does not yet give them back, and this test asserts exactly that.
 */
class DemoWithAgentIT {
    private static final Duration RUN_LIMIT = Duration.ofSeconds(120);
    private static final long DEADLINE_MS = 3000;
    /** Reaps come from a thread that sleeps until the deadline; a busy two-core machine may add some delay. */
    private static final long MARGIN_MS = 2000;
    private static final Pattern REAP = Pattern.compile("reaped SMTP connection #\\d+ to (\\S+) \\((\\S+)\\): "
            + "no greeting after (\\d+) ms .* host thread '([^']+)'");

    @Test
    void goodMailFlowsWhileTheTarpitIsReapedAndItsSlotsStillLeak() throws Exception {
        Path agent = Path.of(System.getProperty("agent.jar"));
        assertTrue(Files.isRegularFile(agent), "build the agent first (mvn -B verify from the root): no " + agent);
        List<String> jvm = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of("--demo", "--messages", "3", "--heal-after", "12s",
                "--duration", "20s"));
        String agentArgs = "bannerTimeout=" + DEADLINE_MS + "ms";
        if (!canBind("127.0.0.2") || !canBind("127.0.0.3")) {
            // Someone holds port 2525 there: put the remote hosts on a free port and say so to the agent.
            int port = freePort();
            args.addAll(List.of("--remote-port", String.valueOf(port)));
            agentArgs += ",ports=" + port;
        }
        jvm.add("-javaagent:" + agent + "=" + agentArgs);
        try (ChildJvm demo = ChildJvm.start("demo-with-agent", jvm, args.toArray(new String[0]))) {
            assertEquals(0, demo.awaitExit(RUN_LIMIT));
            Map<String, Map<String, String>> summary = summaries(demo.lines());
            Map<String, String> good = summary.get("good.example");
            Map<String, String> tarpit = summary.get("tarpit.example");
            assertEquals("3", good.get("delivered"), "good.example flows: " + demo.lines());
            assertEquals("0", good.get("queued"));
            assertEquals("0", tarpit.get("delivered"), "tarpit.example stays stuck: " + demo.lines());
            assertEquals("3", tarpit.get("queued"));
            assertEquals("2/2", tarpit.get("slots"), "the relay's own slots still leak (its DEFECT 2)");
            assertEquals("0", tarpit.get("open_connections"), "the agent left nothing open at the tarpit");

            String stderr = demo.stderr();
            assertTrue(stderr.contains("smtp-watchdog active in"), stderr);
            String tarpitAddress = demo.awaitLine("REMOTE domain=tarpit.example ", RUN_LIMIT)
                    .replaceAll(".* address=(\\S+).*", "$1");
            Matcher reap = REAP.matcher(stderr);
            int reaps = 0;
            while (reap.find()) {
                reaps++;
                assertEquals(tarpitAddress, reap.group(2), "only the tarpit's connections are reaped: " + reap.group());
                long waited = Long.parseLong(reap.group(3));
                assertTrue(waited >= DEADLINE_MS && waited <= DEADLINE_MS + MARGIN_MS,
                        "no delivery thread hung longer than the deadline plus a margin: " + reap.group());
                assertTrue(reap.group(4).startsWith("delivery-"), reap.group());
            }
            assertTrue(reaps >= 2, "both delivery threads' tarpit connections were reaped: " + stderr);
        }
    }

    private static boolean canBind(String address) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(address), 2525));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Map<String, Map<String, String>> summaries(List<String> lines) {
        Map<String, Map<String, String>> byDomain = new HashMap<>();
        for (String line : lines) {
            if (line.startsWith("SUMMARY ")) {
                Map<String, String> fields = new HashMap<>();
                for (String field : line.substring(8).split(" ")) {
                    String[] kv = field.split("=", 2);
                    fields.put(kv[0], kv[1]);
                }
                byDomain.put(fields.get("domain"), fields);
            }
        }
        return byDomain;
    }
}

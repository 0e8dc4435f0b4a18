package io.smtpwatchdog.demo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unmodified demo-server with the real agent attached, twice side by side: with only {@code bannerTimeout}, the
 * agent reaps (or, made before its hooks were live, rescues) the tarpit's connections so good.example flows, but the relay's leaked slots keep tarpit.example stuck
 * after the tarpit heals; with the shipped declarations (src/config/demo-server.properties) the agent also gives the
 * leaked slots back, and tarpit.example is delivered after the heal, without a restart.
 */
class DemoWithAgentIT {
    private static final Duration RUN_LIMIT = Duration.ofSeconds(150);
    private static final long DEADLINE_MS = 3000;
    /** Reaps come from a thread that sleeps until the deadline; a busy two-core machine may add some delay. */
    private static final long MARGIN_MS = 2000;
    private static final Pattern REAP = Pattern.compile("reaped SMTP connection #\\d+ to \\S+ \\((?<remote>\\S+)\\): "
            + "no greeting after (?<ms>\\d+) ms .* host thread '(?<thread>[^']+)'");
    /** The relay connects before the hooks are live when nothing makes its start wait: those are rescued. */
    private static final Pattern RESCUE = Pattern.compile("rescued SMTP connection #\\d+ to \\S+ \\((?<remote>\\S+)\\) "
            + "found at startup: host thread '(?<thread>[^']+)' was blocked in the same read for (?<ms>\\d+) ms");
    private static final Pattern GAVE_BACK = Pattern.compile("gave back a slot of (\\S+): connection #\\d+ to \\S+ "
            + "was reaped \\d+ ms ago and the host had not released its slot; called (\\S+)");

    private static final Pattern STALL_REAP = Pattern.compile("reaped SMTP connection #\\d+ to stall\\.example "
            + "\\((?<remote>\\S+)\\): no reply to MAIL after (?<ms>\\d+) ms \\(mailTimeout 3s\\); host thread "
            + "'(?<thread>[^']+)'");

    private static ChildJvm bare;
    private static ChildJvm declared;
    private static ChildJvm stalled;

    @BeforeAll
    static void startBothRuns() throws Exception {
        Path agent = Path.of(System.getProperty("agent.jar"));
        assertTrue(Files.isRegularFile(agent), "build the agent first (mvn -B verify from the root): no " + agent);
        Path declarations = Path.of(System.getProperty("demo.declarations"));
        assertTrue(Files.isRegularFile(declarations), "no " + declarations);
        List<String> args = new ArrayList<>(List.of("--demo", "--messages", "3", "--heal-after", "10s",
                "--duration", "32s"));
        String ports = "";
        if (!canBind("127.0.0.2") || !canBind("127.0.0.3")) {
            // Someone holds port 2525 there: put the remote hosts on a free port and tell the agent.
            int port = freePort();
            args.addAll(List.of("--remote-port", String.valueOf(port)));
            ports = ",ports=" + port;
        }
        // The two runs bind the same remote addresses, so the second waits for the first to have bound them.
        bare = ChildJvm.start("demo-agent-bare",
                List.of("-javaagent:" + agent + "=bannerTimeout=" + DEADLINE_MS + "ms" + ports),
                args.toArray(new String[0]));
        bare.awaitLine("LISTENING ", RUN_LIMIT);
        List<String> second = new ArrayList<>(args);
        int port = freePort();
        second.addAll(List.of("--remote-port", String.valueOf(port)));
        declared = ChildJvm.start("demo-agent-declared",
                List.of("-javaagent:" + agent + "=config=" + declarations + ",bannerTimeout=" + DEADLINE_MS
                        + "ms,slotGrace=1s,ports=" + port),
                second.toArray(new String[0]));
        // A third run: a host that greets and then never answers MAIL FROM, three delivery threads so the stalled
        // domain (two slots) cannot take them all, the tarpit healed from the start.
        int stallPort = freePort();
        stalled = ChildJvm.start("demo-agent-stall",
                List.of("-javaagent:" + agent + "=config=" + declarations + ",mailTimeout=3s,ports=" + stallPort),
                "--demo", "--stall-mail", "--threads", "3", "--messages", "2", "--heal-after", "0s", "--duration",
                "25s", "--remote-port", String.valueOf(stallPort));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        bare.close();
        declared.close();
        stalled.close();
    }

    @Test
    void withoutDeclarationsGoodMailFlowsButTheLeakedSlotsKeepTheTarpitDomainStuckAfterTheHeal() throws Exception {
        assertEquals(0, bare.awaitExit(RUN_LIMIT));
        Map<String, Map<String, String>> summary = Summaries.byDomain(bare.lines());
        Map<String, String> good = summary.get("good.example");
        Map<String, String> tarpit = summary.get("tarpit.example");
        assertEquals("3", good.get("delivered"), "good.example flows: " + bare.lines());
        assertEquals("0", good.get("queued"));
        assertEquals("0", tarpit.get("delivered"), "tarpit.example stays stuck after the heal: " + bare.lines());
        assertEquals("3", tarpit.get("queued"));
        assertEquals("2/2", tarpit.get("slots"), "the relay's own slots still leak (its DEFECT 2)");
        assertEquals("0", tarpit.get("open_connections"), "the agent left nothing open at the tarpit");
        String stderr = bare.stderr();
        String tarpitAddress = bare.awaitLine("REMOTE domain=tarpit.example ", RUN_LIMIT)
                .replaceAll(".* address=(\\S+).*", "$1");
        // Nothing declared: the default startupWait (0ms) lets the relay connect before the hooks are live, so its
        // first two tarpit connections may be found at startup and rescued rather than reaped; either frees them.
        assertTrue(reapsWithinTheDeadline(stderr, tarpitAddress) + rescuesAfterTheDeadline(stderr, tarpitAddress)
                >= 2, "both delivery threads were freed: " + stderr);
        assertTrue(!stderr.contains("gave back a slot"), "nothing declared, nothing given back");
    }

    @Test
    void withTheShippedDeclarationsTheLeakedSlotsComeBackAndTheTarpitDomainIsDeliveredAfterTheHeal()
            throws Exception {
        assertEquals(0, declared.awaitExit(RUN_LIMIT));
        Map<String, Map<String, String>> summary = Summaries.byDomain(declared.lines());
        Map<String, String> good = summary.get("good.example");
        Map<String, String> tarpit = summary.get("tarpit.example");
        assertEquals("3", good.get("delivered"), declared.lines().toString());
        assertEquals("3", tarpit.get("delivered"), "delivered after the heal, no restart: " + declared.lines());
        assertEquals("0", tarpit.get("queued"));
        assertEquals("0/2", tarpit.get("slots"), "every slot back: " + declared.lines());
        assertEquals("0", tarpit.get("open_connections"));
        String stderr = declared.stderr();
        assertTrue(stderr.contains("declared slotAcquire io.smtpwatchdog.demo.outbound.ConnectionLimiter"
                + "#acquire(java.lang.String)@0 installed"), stderr);
        Matcher gave = GAVE_BACK.matcher(stderr);
        int given = 0;
        while (gave.find()) {
            given++;
            assertEquals("tarpit.example", gave.group(1), gave.group());
            assertTrue(gave.group(2).contains("ConnectionLimiter#release"), gave.group());
        }
        String tarpitAddress = declared.awaitLine("REMOTE domain=tarpit.example ", RUN_LIMIT)
                .replaceAll(".* address=(\\S+).*", "$1");
        int reaps = reapsWithinTheDeadline(stderr, tarpitAddress);
        assertTrue(reaps >= 2, "the tarpit's connections were reaped: " + stderr);
        assertEquals(reaps, given, "one slot given back per reaped connection, never twice: " + stderr);
    }

    @Test
    void aHostThatStallsAfterMailFromIsReapedAtMailTimeoutAndTheOtherDomainsFlow() throws Exception {
        assertEquals(0, stalled.awaitExit(RUN_LIMIT));
        Map<String, Map<String, String>> summary = Summaries.byDomain(stalled.lines());
        assertEquals("2", summary.get("good.example").get("delivered"), stalled.lines().toString());
        assertEquals("2", summary.get("tarpit.example").get("delivered"), stalled.lines().toString());
        assertEquals("0", summary.get("stall.example").get("delivered"), "the stalled host never takes mail");
        String stderr = stalled.stderr();
        String stallAddress = stalled.awaitLine("REMOTE domain=stall.example ", RUN_LIMIT)
                .replaceAll(".* address=(\\S+).*", "$1");
        Matcher reap = STALL_REAP.matcher(stderr);
        int reaps = 0;
        while (reap.find()) {
            reaps++;
            assertEquals(stallAddress, reap.group("remote"), reap.group());
            assertTrue(reap.group("thread").startsWith("delivery-"), reap.group());
            long ms = Long.parseLong(reap.group("ms"));
            assertTrue(ms >= 3000 && ms < 3000 + MARGIN_MS, "reaped near mailTimeout: " + reap.group());
        }
        assertTrue(reaps >= 2, "each stalled attempt was reaped at its MAIL FROM: " + stderr);
        assertTrue(Pattern.compile("stall\\.example: \\S+ deferred \\(attempt 1 of").matcher(stderr).find(),
                "the relay's own error path ran: it deferred the stalled mail: " + stderr);
    }

    /** Checks every reap line: the tarpit only, a delivery thread, within the deadline plus a margin. */
    private static int reapsWithinTheDeadline(String stderr, String tarpitAddress) {
        return freedWithinTheDeadline(REAP, stderr, tarpitAddress);
    }

    /** The same for every rescue line: seen blocked for the deadline plus a margin. */
    private static int rescuesAfterTheDeadline(String stderr, String tarpitAddress) {
        return freedWithinTheDeadline(RESCUE, stderr, tarpitAddress);
    }

    private static int freedWithinTheDeadline(Pattern line, String stderr, String tarpitAddress) {
        Matcher m = line.matcher(stderr);
        int freed = 0;
        while (m.find()) {
            freed++;
            assertEquals(tarpitAddress, m.group("remote"), "only the tarpit's connections are freed: " + m.group());
            long waited = Long.parseLong(m.group("ms"));
            assertTrue(waited >= DEADLINE_MS && waited <= DEADLINE_MS + MARGIN_MS,
                    "no delivery thread hung longer than the deadline plus a margin: " + m.group());
            assertTrue(m.group("thread").startsWith("delivery-"), m.group());
        }
        return freed;
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

}

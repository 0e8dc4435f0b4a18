package io.smtpwatchdog.demo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The reproduction of KB Q175982 with the packaged jar: without any agent, good.example mail never leaves;
 * with the fixed client, everything is delivered once the tarpit heals; with {@code --stall-mail}, the stalled
 * domain holds its delivery threads at MAIL FROM. The runs go side by side to keep the build short.
 */
class DemoIT {
    private static final Duration RUN_LIMIT = Duration.ofSeconds(120);
    private static ChildJvm legacy;
    private static ChildJvm fixed;
    private static ChildJvm fallback;
    private static ChildJvm stall;
    private static ServerSocket blocker;

    @BeforeAll
    static void startBothRuns() throws Exception {
        legacy = ChildJvm.start("demo-legacy", "--demo", "--messages", "3", "--heal-after", "8s",
                "--duration", "20s", "--remote-port", "0");
        // Everything is delivered about 13 s in; the extra seconds are headroom for a busy machine.
        fixed = ChildJvm.start("demo-fixed", "--demo", "--messages", "3", "--heal-after", "8s",
                "--duration", "24s", "--remote-port", "0", "--fixed-client", "--greeting-timeout", "2s");
        // The tarpit healed from the start and a third thread keep the stall apart from the greeting story:
        // the stall's two slots hold two threads, and the third delivers everything else.
        stall = ChildJvm.start("demo-stall", "--demo", "--stall-mail", "--messages", "2", "--heal-after", "0s",
                "--threads", "3", "--duration", "8s", "--remote-port", "0");
        // Something else holds the tarpit's address, as another program might hold 127.0.0.3:2525. Systems
        // with only 127.0.0.1 (macOS by default) cannot set this up; the test is skipped there.
        try {
            blocker = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.3"));
            fallback = ChildJvm.start("demo-fallback", "--demo", "--messages", "1", "--heal-after", "0s",
                    "--duration", "4s", "--remote-port", String.valueOf(blocker.getLocalPort()));
        } catch (IOException e) {
            blocker = null;
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        legacy.close();
        fixed.close();
        stall.close();
        if (blocker != null) {
            fallback.close();
            try {
                blocker.close();
            } catch (IOException ignored) {
                // Closing a listening socket only fails when it is closed already.
            }
        }
    }


    @Test
    void withoutAnAgentGoodMailNeverLeavesBecauseBothThreadsHangInTheTarpit() throws Exception {
        assertEquals(0, legacy.awaitExit(RUN_LIMIT), legacy::stderr);
        List<String> out = legacy.lines();
        Map<String, Map<String, String>> summary = Summaries.byDomain(out);
        assertEquals(2, summary.size(), out::toString);

        Map<String, String> good = summary.get("good.example");
        assertEquals("0", good.get("delivered"), out::toString);
        assertEquals("3", good.get("queued"), out::toString);
        assertEquals("0", good.get("failed"), out::toString);

        Map<String, String> tarpit = summary.get("tarpit.example");
        assertEquals("2/2", tarpit.get("slots"), out::toString);
        assertEquals("2", tarpit.get("open_connections"), out::toString);
        assertEquals("0", tarpit.get("delivered"), out::toString);
        assertEquals("3", tarpit.get("queued"), out::toString);

        assertTrue(out.stream().anyMatch(l -> l.matches(
                "REMOTE domain=tarpit\\.example address=127\\.0\\.0\\.\\d+:\\d+ kind=tarpit")), out::toString);
        assertTrue(out.stream().anyMatch(l -> l.matches(
                "REMOTE domain=good\\.example address=127\\.0\\.0\\.\\d+:\\d+ kind=sink")), out::toString);
        assertTrue(out.stream().anyMatch(l -> l.matches("LISTENING 127\\.0\\.0\\.1:\\d+")), out::toString);
        assertTrue(out.stream().anyMatch(l -> l.equals(
                "STATUS domain=tarpit.example queued=1 inflight=2 delivered=0 failed=0 slots=2/2")), out::toString);
    }

    @Test
    void withTheFixedClientEverythingIsDeliveredAfterTheHeal() throws Exception {
        assertEquals(0, fixed.awaitExit(RUN_LIMIT), fixed::stderr);
        List<String> out = fixed.lines();
        Map<String, Map<String, String>> summary = Summaries.byDomain(out);
        for (String domain : List.of("good.example", "tarpit.example")) {
            Map<String, String> s = summary.get(domain);
            assertEquals("3", s.get("delivered"), () -> domain + ": " + out);
            assertEquals("0", s.get("queued"), () -> domain + ": " + out);
            assertEquals("0", s.get("failed"), () -> domain + ": " + out);
            assertEquals("0/2", s.get("slots"), () -> domain + ": " + out);
        }
    }

    @Test
    void whenARemoteAddressIsTakenTheDemoFallsBackAndSaysSo() throws Exception {
        assumeTrue(blocker != null, "127.0.0.3 cannot be bound here");
        assertEquals(0, fallback.awaitExit(RUN_LIMIT), fallback::stderr);
        List<String> out = fallback.lines();
        int port = blocker.getLocalPort();
        assertTrue(out.contains("REMOTE domain=good.example address=127.0.0.2:" + port + " kind=sink"), out::toString);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("NOTE cannot bind 127.0.0.3:" + port + " for tarpit.example")),
                out::toString);
        assertTrue(out.stream().anyMatch(l -> l.matches(
                "REMOTE domain=tarpit\\.example address=127\\.0\\.0\\.1:\\d+ kind=tarpit")), out::toString);
        // Healed from the start, the tarpit is just another healthy host: both messages go through.
        Map<String, Map<String, String>> summary = Summaries.byDomain(out);
        assertEquals("1", summary.get("good.example").get("delivered"), out::toString);
        assertEquals("1", summary.get("tarpit.example").get("delivered"), out::toString);
    }

    @Test
    void withoutAnAgentTheStalledDomainHoldsItsThreadsAtMailFromAndNothingOfItIsDelivered() throws Exception {
        assertEquals(0, stall.awaitExit(RUN_LIMIT), stall::stderr);
        List<String> out = stall.lines();
        Map<String, Map<String, String>> summary = Summaries.byDomain(out);
        assertEquals(3, summary.size(), out::toString);

        Map<String, String> stalled = summary.get("stall.example");
        assertEquals("0", stalled.get("delivered"), out::toString);
        assertEquals("2", stalled.get("queued"), out::toString);
        assertEquals("0", stalled.get("failed"), out::toString);
        assertEquals("2/2", stalled.get("slots"), out::toString);
        assertEquals("2", stalled.get("open_connections"), out::toString);
        assertTrue(out.contains("STATUS domain=stall.example queued=0 inflight=2 delivered=0 failed=0 slots=2/2"),
                out::toString);
        for (String domain : List.of("good.example", "tarpit.example")) {
            assertEquals("2", summary.get(domain).get("delivered"), () -> domain + ": " + out);
        }

        String remote = out.stream().filter(l -> l.startsWith("REMOTE domain=stall.example ")).findFirst()
                .orElseThrow(() -> new AssertionError("no REMOTE line for stall.example: " + out));
        assertTrue(remote.matches(
                "REMOTE domain=stall\\.example address=127\\.0\\.0\\.\\d+:\\d+ kind=stall-after-mail"), remote);
        // The relay's reply bound (5m) outlasts the run, so nothing but the stall decides the outcome.
        assertTrue(out.stream().noneMatch(l -> l.startsWith("NOTE --reply-timeout")), out::toString);
        String address = remote.split(" ")[2].substring("address=".length());
        assertEquals(2, stall.stderr().lines()
                .filter(l -> l.contains("stall " + address + ": holding MAIL FROM of ")).count(), stall::stderr);
    }
}

package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.StuckHost;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue "Rescue": a host whose threads were stuck on a tarpit before the agent arrived is freed by an attach,
 * without a restart; what is healthy, or merely slow, is not touched.
 */
class RescueIT {
    private static final Duration CHILD = Duration.ofSeconds(90);

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void threadsStuckBeforeTheAttachAreRescuedAndNothingElseIsTouched(Path jdk) throws Exception {
        CountDownLatch greetNow = new CountDownLatch(1);
        boolean virtualThreads = Jdks.feature(jdk) >= 21;
        try (Peer tarpit = Peer.start(Peer.tarpit());
             Peer slow = Peer.start(s -> {
                 greetNow.await();
                 OutputStream out = s.getOutputStream();
                 out.write("220 slow but legal\r\n".getBytes(StandardCharsets.US_ASCII));
                 out.flush();
             });
             Peer healthy = Peer.start(Peer.greeter("220 ready\r\n", Duration.ZERO))) {
            List<String> args = new ArrayList<>(List.of("127.0.0.1", "plain:" + tarpit.port(), "plain:" + tarpit.port(),
                    "timed:" + tarpit.port(), "plain:" + slow.port(), "healthy:" + healthy.port()));
            if (virtualThreads) {
                args.add("virtual:" + tarpit.port());
            }
            int stuck = virtualThreads ? 4 : 3;
            try (ChildJvm c = ChildJvm.on(jdk).noAgent().jvm("-XX:+EnableDynamicAgentLoading")
                    .run(StuckHost.class, args.toArray(new String[0]))) {
                Matcher blocked = c.awaitOut("^BLOCKED pid=(\\d+) sockets=(\\d+)", CHILD);
                String pid = blocked.group(1);
                assertEquals(String.valueOf(args.size() - 1), blocked.group(2), "one fd per connection to start with");
                tarpit.awaitOpen(stuck, CHILD);
                String ports = tarpit.port() + "+" + slow.port() + "+" + healthy.port();
                attach(jdk, pid, "bannerTimeout=3s,ports=" + ports);

                // The slow greeter's reader is found like the others, then its greeting comes before the deadline.
                c.awaitErr("found SMTP connection #\\d+ to 127\\.0\\.0\\.1 \\(127\\.0\\.0\\.1:" + slow.port()
                        + "\\), opened before the agent was live \\(attach\\): host thread 'plain-4'", CHILD);
                greetNow.countDown();
                assertTrue(c.awaitOut("^GREETED plain-4 (.*)", CHILD).group(1).contains("slow but legal"));

                for (String thread : stuckThreads(virtualThreads)) {
                    Matcher failed = c.awaitOut("^FAILED " + thread + " (\\S+): (.*)", CHILD);
                    assertEquals("java.net.SocketException", failed.group(1), "what a reap gives the host");
                    Matcher rescued = c.awaitErr("rescued SMTP connection #\\d+ to 127\\.0\\.0\\.1 \\(127\\.0\\.0\\.1:"
                            + tarpit.port() + "\\) found at attach: host thread '" + thread + "' was blocked in the "
                            + "same read for (\\d+) ms with nothing to read \\(bannerTimeout 3s\\)", CHILD);
                    assertTrue(Long.parseLong(rescued.group(1)) >= 3000, "not before its deadline: " + rescued.group());
                }
                tarpit.awaitOpen(0, CHILD); // the peer saw each rescued connection end

                Matcher done = c.awaitOut("^DONE fds=(\\d+)->(\\d+) sockets=(\\d+) .* hostSeesSunNioCh=(\\w+)", CHILD);
                assertEquals("false", done.group(4), "the JDK internals the agent reads are opened to it alone");
                assertEquals("0", done.group(3), "every connection's fd released once the host closed: " + done.group());
                assertTrue(c.awaitOut("^HEALTHY healthy-5 replies=(\\d+)", CHILD).group(1).matches("[1-9]\\d*"),
                        "the healthy session went on answering");
                Map<String, Long> totals = Counters.totals(c);
                assertEquals(stuck, totals.get("rescued"), "each rescue counted once: " + totals);
                assertEquals(stuck, totals.get("reaped"), "a rescue is a reap: " + totals);
                assertEquals(0, c.exitCode(CHILD));
                assertEquals(1, c.countErr(l -> l.contains("'plain-4'")), "the slow greeting is found, never rescued");
                assertEquals(0, c.countErr(l -> l.contains("healthy-5") && l.contains("rescued")));
                assertEquals(0, c.countErr(l -> l.contains(" ERROR ")), "no agent error: " + c.err());
                healthy.awaitOpen(0, CHILD);
                slow.awaitOpen(0, CHILD);
                System.out.println("fds before the connections " + done.group(1) + ", after the host closed them "
                        + done.group(2));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void connectionsMadeBeforeTheHooksAreLiveAtStartupAreRescuedWithoutAStartupWait(Path jdk) throws Exception {
        try (Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=2s,ports=" + tarpit.port())
                     .run(StuckHost.class, "127.0.0.1", "plain:" + tarpit.port(), "timed:" + tarpit.port())) {
            assertEquals("false", c.awaitOut("^CONNECTING agentLive=(\\w+)", CHILD).group(1),
                    "the default startupWait (0ms) lets main connect before the hooks are live");
            for (String thread : new String[] {"plain-1", "timed-2"}) {
                c.awaitErr("found SMTP connection #\\d+ to 127\\.0\\.0\\.1 .*\\(startup\\): host thread '" + thread
                        + "'", CHILD);
                assertEquals("java.net.SocketException", c.awaitOut("^FAILED " + thread + " ([^:]+):", CHILD).group(1));
                c.awaitErr("rescued SMTP connection #\\d+ .* found at startup: host thread '" + thread + "'", CHILD);
            }
            Map<String, Long> totals = Counters.totals(c);
            assertEquals(2, totals.get("rescued"), totals.toString());
            assertEquals(0, totals.get("connects"), "the hooks never saw these connects: " + totals);
            assertEquals("0", c.awaitOut("^DONE .* sockets=(\\d+)", CHILD).group(1));
            assertEquals(0, c.exitCode(CHILD));
            tarpit.awaitOpen(0, CHILD);
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void inMonitorModeAFoundConnectionIsShownByStatusAndNothingIsClosed(Path jdk) throws Exception {
        try (Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = ChildJvm.on(jdk).noAgent().jvm("-XX:+EnableDynamicAgentLoading")
                     .run(StuckHost.class, "127.0.0.1", "plain:" + tarpit.port())) {
            String pid = c.awaitOut("^BLOCKED pid=(\\d+)", CHILD).group(1);
            attach(jdk, pid, "mode=monitor,bannerTimeout=1s,ports=" + tarpit.port());
            c.awaitErr("would rescue SMTP connection #\\d+ to 127\\.0\\.0\\.1 .* found at attach: host thread 'plain-1' "
                    + "blocked in the same read for \\d+ ms with nothing to read \\(bannerTimeout 1s\\); not closed: "
                    + "mode=monitor", CHILD);
            String[] status = CliIT.cli(jdk, "status", pid);
            assertEquals("0", status[0], status[2]);
            assertTrue(status[1].contains(", rescued 0"), status[1]);
            assertTrue(status[1].matches("(?s).*\\nfound at attach: #\\d+ to 127\\.0\\.0\\.1 \\(127\\.0\\.0\\.1:" + tarpit.port()
                    + "\\), host thread 'plain-1' blocked \\d+\\.\\ds\\n.*"), status[1]);
            assertEquals(1, tarpit.open(), "monitor mode closes nothing");
            assertTrue(c.out().stream().noneMatch(l -> l.startsWith("FAILED")), c.out().toString());
        }
    }

    @org.junit.jupiter.api.Test
    void aJdkSocketImplTheAgentDoesNotReadIsReportedInOneLineAndNothingIsTouched() throws Exception {
        Path jdk17 = Jdks.homes().stream().filter(j -> Jdks.feature(j) <= 17).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(jdk17 != null, "jdk.net.usePlainSocketImpl exists on JDK 13-17");
        try (Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = ChildJvm.on(jdk17).noAgent().jvm("-Djdk.net.usePlainSocketImpl=true")
                     .run(StuckHost.class, "127.0.0.1", "plain:" + tarpit.port())) {
            attach(jdk17, c.awaitOut("^BLOCKED pid=(\\d+)", CHILD).group(1), "bannerTimeout=1s,ports=" + tarpit.port());
            c.awaitErr("cannot be found on this JVM: it runs the legacy socket impl", CHILD);
            Thread.sleep(3000); // three deadlines
            assertEquals(0, c.countErr(l -> l.contains("rescued") || l.contains("found SMTP")), c.err().toString());
            assertEquals(1, tarpit.open(), "the stuck connection is left as it was");
            assertTrue(c.out().stream().noneMatch(l -> l.startsWith("FAILED")), c.out().toString());
        }
    }

    /** The CLI's attach into the stuck host, which must succeed. */
    private static void attach(Path jdk, String pid, String options) throws Exception {
        String[] attached = CliIT.cli(jdk, "attach", pid, options);
        assertEquals("0", attached[0], attached[2]);
    }

    private static List<String> stuckThreads(boolean virtualThreads) {
        List<String> names = new ArrayList<>(List.of("plain-1", "plain-2", "timed-3"));
        if (virtualThreads) {
            names.add("virtual-6");
        }
        return names;
    }
}

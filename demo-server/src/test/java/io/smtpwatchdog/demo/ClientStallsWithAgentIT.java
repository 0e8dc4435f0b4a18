package io.smtpwatchdog.demo;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay's own outbound client (no read timeout short enough to matter: its --reply-timeout stays at 5m) with the
 * real agent and the shipped declarations, against one remote per phase that stops answering there: EHLO, MAIL,
 * RCPT, DATA and the end of the message. Every reply deadline is 2 s; each stalled session is reaped near it, the log
 * names the wait, the relay's own error path defers the message, and nothing stays open at the remotes.
 */
class ClientStallsWithAgentIT {
    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final Map<StallingRemote.At, String> VERB = Map.of(StallingRemote.At.EHLO, "EHLO",
            StallingRemote.At.MAIL, "MAIL", StallingRemote.At.RCPT, "RCPT", StallingRemote.At.DATA, "DATA",
            StallingRemote.At.DOT, "end of data");
    private static final Map<StallingRemote.At, String> OPTION = Map.of(StallingRemote.At.EHLO, "commandTimeout",
            StallingRemote.At.MAIL, "mailTimeout", StallingRemote.At.RCPT, "rcptTimeout", StallingRemote.At.DATA,
            "dataTimeout", StallingRemote.At.DOT, "dataEndTimeout");

    @TempDir
    Path dir;

    /** The test's own JDK, and JDK 25 where it is installed (as the agent module's tests find it). */
    static Stream<Path> jdks() {
        Path own = Path.of(System.getProperty("java.home"));
        Path jdk25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        return Files.isExecutable(jdk25.resolve("bin").resolve("java")) && !jdk25.equals(own)
                ? Stream.of(own, jdk25) : Stream.of(own);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void eachPhaseTheRemoteStallsInIsReapedNearItsDeadlineAndTheRelayDefersTheMessage(Path jdk) throws Exception {
        Map<StallingRemote.At, StallingRemote> remotes = new EnumMap<>(StallingRemote.At.class);
        StringBuilder routes = new StringBuilder();
        try {
            for (StallingRemote.At at : StallingRemote.At.values()) {
                StallingRemote r = new StallingRemote(at);
                remotes.put(at, r);
                routes.append(domain(at)).append(" 127.0.0.1:").append(r.port()).append('\n');
            }
            Files.writeString(dir.resolve("routes.txt"), routes);
            Path agent = Path.of(System.getProperty("agent.jar"));
            Path declarations = Path.of(System.getProperty("demo.declarations"));
            List<String> jvm = List.of("-javaagent:" + agent + "=config=" + declarations + ",bannerTimeout=20s,"
                    + "commandTimeout=2s,mailTimeout=2s,rcptTimeout=2s,dataTimeout=2s,dataEndTimeout=2s");
            try (ChildJvm relay = ChildJvm.start(jdk, "client-stalls-" + jdk.getFileName(), jvm, "--port", "0",
                    "--spool",
                    dir.resolve("spool").toString(), "--routes", dir.resolve("routes.txt").toString(), "--threads",
                    "5", "--retry-base", "1h")) {
                String[] hostPort = relay.awaitLine("LISTENING ", LIMIT).substring("LISTENING ".length()).split(":");
                InetSocketAddress inbound = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
                for (StallingRemote.At at : StallingRemote.At.values()) {
                    try (SmtpTestClient c = SmtpTestClient.connect(inbound)) {
                        assertEquals(250, c.mail("sender@client.test", "ann@" + domain(at),
                                "Subject: stall at " + at + "\r\n\r\nHello.\r\n").code());
                    }
                }
                long deadline = System.nanoTime() + LIMIT.toNanos();
                List<String> missing = new ArrayList<>();
                do {
                    missing.clear();
                    String stderr = relay.stderr();
                    for (StallingRemote.At at : StallingRemote.At.values()) {
                        if (!reapedAndDeferred(stderr, at)) {
                            missing.add(at.name());
                        }
                    }
                    Thread.sleep(200);
                } while (!missing.isEmpty() && System.nanoTime() < deadline);
                assertTrue(missing.isEmpty(), "not reaped and deferred: " + missing + "\n" + relay.stderr());
                for (StallingRemote.At at : StallingRemote.At.values()) {
                    assertEquals(1, remotes.get(at).stalled(), "the relay reached the stall at " + at);
                    awaitClosed(remotes.get(at));
                }
            }
        } finally {
            for (StallingRemote r : remotes.values()) {
                r.close();
            }
        }
    }

    private static String domain(StallingRemote.At at) {
        return at.name().toLowerCase() + ".example";
    }

    /** The agent's reap line for the phase, near its deadline, and the relay's own deferral of that domain's message. */
    private static boolean reapedAndDeferred(String stderr, StallingRemote.At at) {
        Matcher reap = Pattern.compile("reaped SMTP connection #\\d+ to " + Pattern.quote(domain(at)) + " \\(\\S+\\): "
                + "no reply to " + Pattern.quote(VERB.get(at)) + " after (\\d+) ms \\(" + OPTION.get(at) + " 2s\\)")
                .matcher(stderr);
        if (!reap.find()) {
            return false;
        }
        long ms = Long.parseLong(reap.group(1));
        assertTrue(ms >= 2000 && ms < 6000, "reaped near the 2 s deadline: " + reap.group());
        return Pattern.compile(Pattern.quote(domain(at)) + ": \\S+ deferred \\(attempt 1 of").matcher(stderr).find();
    }

    private static void awaitClosed(StallingRemote r) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (r.open() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, r.open(), "nothing left open at the remote");
    }
}

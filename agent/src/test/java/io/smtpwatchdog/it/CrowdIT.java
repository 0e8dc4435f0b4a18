package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.CrowdClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many stuck greetings at once, the CI-sized cousin of benchmark P5 ({@code src/bench/ReapBench.java}, 10,000): every
 * one of 500 connections to a tarpit is reaped, none before its own deadline, and each blocked host thread gets its
 * SocketException. The upper bound is generous; precision is the benchmark's business, not CI's.
 */
class CrowdIT {
    private static final int CONNECTIONS = 500;
    private static final Duration CHILD = Duration.ofSeconds(150);

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void fiveHundredStuckGreetingsAreAllReapedAfterTheirDeadlines(Path jdk) throws Exception {
        try (Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=3s,ports=" + tarpit.port())
                     .run(CrowdClient.class, "127.0.0.1", String.valueOf(tarpit.port()),
                             String.valueOf(CONNECTIONS))) {
            Matcher m = c.awaitOut("^ENDED (\\d+) SOCKET_EXCEPTIONS (\\d+) EARLIEST (\\d+) LATEST (\\d+)", CHILD);
            assertEquals(CONNECTIONS, Integer.parseInt(m.group(1)), "every greeting wait ended");
            assertEquals(CONNECTIONS, Integer.parseInt(m.group(2)), "each host thread got a SocketException");
            long earliest = Long.parseLong(m.group(3));
            long latest = Long.parseLong(m.group(4));
            assertTrue(earliest >= 3000, "none before its own 3 s deadline, earliest " + earliest + " ms");
            assertTrue(latest < 30_000, "all near their deadlines, latest " + latest + " ms");
            Map<String, Long> t = Counters.totals(c);
            assertEquals(CONNECTIONS, t.get("connects"));
            assertEquals(CONNECTIONS, t.get("reaped"));
            assertEquals(CONNECTIONS, t.get("closes"));
            assertEquals(0, t.get("open"));
            assertEquals(0, t.get("awaiting"));
            tarpit.awaitOpen(0, Duration.ofSeconds(30));
            assertEquals(0, c.exitCode(CHILD));
        }
    }
}

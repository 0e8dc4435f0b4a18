package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.GreetingClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Implicit TLS (SMTPS): the raw bytes are TLS records, the greeting is inside. A TLS socket connected directly and a
 * TLS socket layered over a connected plain socket (how Angus Mail and Commons Net do it) are both covered.
 */
class TlsIT {
    private static final Duration CHILD = Duration.ofSeconds(90);

    static Stream<Arguments> kinds() {
        return Jdks.times("tls-direct", "tls-layered");
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aHealthyTlsSessionIsNeverReaped(Path jdk, String kind) throws Exception {
        try (Peer smtps = Peer.on(TestTls.serverSocket(), TestTls.greeter("220-smtps.example\r\n220 ready\r\n"));
             // The handshake is part of the greeting wait; a cold one on a busy machine has taken up to 3.9 s.
             ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=10s,ports=" + smtps.port())
                     .jvm(TestTls.trustFlags().toArray(new String[0]))
                     .run(GreetingClient.class, "localhost", String.valueOf(smtps.port()), kind, "0", "11000")) {
            assertEquals("220 ready", c.awaitOut("^GREETING (.*) after", CHILD).group(1));
            c.awaitOut("^QUIT 221", CHILD); // held 11 s, the session outlived the 10 s deadline
            Map<String, Long> t = Counters.totals(c);
            assertEquals(1, t.get("connects"));
            assertEquals(0, t.get("reaped"));
            assertEquals(0, t.get("overdue"));
            assertEquals(1, t.get("closes"));
            assertEquals(0, t.get("open"));
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aTarpitOnTheTlsPortIsReaped(Path jdk, String kind) throws Exception {
        try (Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=2s,ports=" + tarpit.port())
                     .jvm(TestTls.trustFlags().toArray(new String[0]))
                     .run(GreetingClient.class, "localhost", String.valueOf(tarpit.port()), kind, "0", "0")) {
            Matcher failed = c.awaitOut("^FAILED (\\S+): .* after (\\d+) ms", CHILD);
            long ms = Long.parseLong(failed.group(2));
            assertTrue(ms >= 2000 && ms < 20_000, "the stuck handshake was reaped near the deadline, not " + ms);
            Map<String, Long> t = Counters.totals(c);
            assertEquals(1, t.get("reaped"));
            assertEquals(0, t.get("open"));
            tarpit.awaitOpen(0, Duration.ofSeconds(20));
        }
    }
}

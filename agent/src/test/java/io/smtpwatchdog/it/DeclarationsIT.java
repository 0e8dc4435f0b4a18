package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.GreetingClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A declaration that matches nothing is reported once the host has started, and the host is not disturbed. */
class DeclarationsIT {
    private static final Duration CHILD = Duration.ofSeconds(90);

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aDeclaredMethodNoLoadedClassMatchesIsReportedAndTheHostRuns(Path jdk) throws Exception {
        String typo = "com.acme.mail.Relayy#deliver(java.lang.String,..)@0";
        String wrongSignature = GreetingClient.class.getName() + "#connect(java.lang.String)@0";
        try (Peer healthy = Peer.start(Peer.greeter("220 hi\r\n", Duration.ZERO));
             ChildJvm c = ChildJvm.on(jdk)
                     .agent("bannerTimeout=5s,ports=" + healthy.port() + ",delivery=" + typo + " " + wrongSignature)
                     .run(GreetingClient.class, "127.0.0.1", String.valueOf(healthy.port()), "plain", "0", "0")) {
            c.awaitOut("^GREETING 220 hi", CHILD);
            assertEquals(0, c.exitCode(CHILD));
            assertTrue(c.err().stream().anyMatch(l -> l.contains("declared delivery " + typo
                    + " matches no loaded class yet")), "the typo is reported: " + c.err());
            assertTrue(c.err().stream().anyMatch(l -> l.contains("declared delivery " + wrongSignature
                    + " not installed") && l.contains("has no such method")),
                    "a class that loads without the declared method is reported: " + c.err());
        }
    }
}

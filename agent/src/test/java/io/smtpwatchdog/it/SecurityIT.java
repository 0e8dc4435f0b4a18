package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.ListenerCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * R6: the agent opens no listening socket, not even with its MBeans registered; JMX exposure stays whatever the
 * JVM's own settings make it.
 */
class SecurityIT {
    private static final Duration CHILD = Duration.ofSeconds(90);

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void theAgentOpensNoListeningSocket(Path jdk) throws Exception {
        try (Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=1s,ports=" + tarpit.port())
                     .run(ListenerCheck.class, String.valueOf(tarpit.port()))) {
            assertEquals("true", c.awaitOut("^MBEANS (\\S+)", CHILD).group(1), "the MBeans were registered");
            assertEquals("java.net.SocketException", c.awaitOut("^REAPED (\\S+)", CHILD).group(1),
                    "the agent did its work first");
            assertEquals("0", c.awaitOut("^LISTENING (\\d+)", CHILD).group(1),
                    "no TCP socket of the process listens: " + c.out());
            assertEquals(0, c.exitCode(CHILD));
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void theCheckFindsAListenerWhenThereIsOne(Path jdk) throws Exception {
        // The control for the test above: the same child, opening one listener itself, must see exactly one.
        try (Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=1s,ports=" + tarpit.port())
                     .run(ListenerCheck.class, String.valueOf(tarpit.port()), "control")) {
            assertEquals("1", c.awaitOut("^LISTENING (\\d+)", CHILD).group(1), c.out().toString());
        }
    }
}

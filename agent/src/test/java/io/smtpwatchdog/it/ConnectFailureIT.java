package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.ConnectClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connects that fail are counted as failures and leave no tracked connection behind. */
class ConnectFailureIT {
    private static final Duration CHILD = Duration.ofSeconds(90);

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aRefusedConnectIsCountedAndNotTracked(Path jdk) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there now
        }
        try (ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=2s,ports=" + port)
                .run(ConnectClient.class, "127.0.0.1", String.valueOf(port), "2000")) {
            assertEquals("java.net.ConnectException", c.awaitOut("^FAILED (\\S+):", CHILD).group(1));
            Map<String, Long> t = Counters.totals(c);
            assertEquals(1, t.get("failedConnects"));
            assertEquals(0, t.get("connects"));
            assertEquals(0, t.get("open"));
            assertEquals(0, t.get("awaiting"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aConnectTimeoutIsCountedAndNotTracked(Path jdk) throws Exception {
        // A listener that never accepts, with its accept queue full: the kernel drops further SYNs on loopback.
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            boolean saturated = false;
            for (int i = 0; i < 64 && !saturated; i++) {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 300);
                    fillers.add(s);
                } catch (SocketTimeoutException e) {
                    saturated = true;
                    s.close();
                }
            }
            assertTrue(saturated, "could not fill the accept queue to make a connect time out");
            try (ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=2s,ports=" + full.getLocalPort())
                    .run(ConnectClient.class, "127.0.0.1", String.valueOf(full.getLocalPort()), "1000")) {
                assertEquals("java.net.SocketTimeoutException", c.awaitOut("^FAILED (\\S+):", CHILD).group(1));
                Map<String, Long> t = Counters.totals(c);
                assertEquals(1, t.get("failedConnects"));
                assertEquals(0, t.get("connects"));
                assertEquals(0, t.get("open"));
            }
        } finally {
            for (Socket s : fillers) {
                s.close();
            }
        }
    }
}

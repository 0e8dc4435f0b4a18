package io.smtpwatchdog.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * P1: what the agent adds to a connect and close of an SMTP connection, the path every outbound mail takes once per
 * connection. The peer accepts and closes at once; with the agent, every connect is tracked (the runner names the
 * peer's port in {@code ports=}) and every close ends the tracked connection.
 *
 * <p>The peer's port comes from {@code -Dbench.smtpPort} (set by {@link AgentRatio}, whose process hosts the peer);
 * without it, the benchmark starts a peer in its own JVM.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConnectCloseBenchmark {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private InetSocketAddress smtp;
    private ServerSocket ownPeer;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        AgentReport.prepare();
        AgentReport.atExit("p1", "ConnectsTotal", "ClosesTotal", "FailedConnectsTotal", "Tracked");
        String port = System.getProperty("bench.smtpPort");
        if (port == null) {
            ownPeer = Peers.closer();
            port = String.valueOf(ownPeer.getLocalPort());
        }
        smtp = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(port));
    }

    @Benchmark
    public void connectAndClose() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(smtp, CONNECT_TIMEOUT_MILLIS);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (ownPeer != null) {
            ownPeer.close();
        }
    }
}

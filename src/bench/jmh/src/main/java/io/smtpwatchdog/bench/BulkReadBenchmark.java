package io.smtpwatchdog.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * P2: what the agent adds to bulk reads on a tracked SMTP socket after its greeting, the path a message's replies
 * (and, for a server, its data) take. The peer greets with "220 ok", then streams bytes; one operation reads
 * {@link #OP_BYTES} through a {@code bufferSize} array, as a {@code BufferedInputStream} would, so time per operation
 * is the inverse of throughput.
 *
 * <p>While it reads, a second tracked connection (to a tarpit) awaits its greeting, so the agent cannot skip the
 * read hook's table lookup as it does when nothing awaits: this is the expensive case of the read path. Ports come
 * from {@code -Dbench.streamPort} and {@code -Dbench.tarpitPort} (set by {@link AgentRatio}); without them the
 * benchmark starts both peers in its own JVM.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BulkReadBenchmark {
    /** Bytes per operation: 64 KiB. */
    public static final int OP_BYTES = 64 * 1024;

    @Param("8192")
    public int bufferSize;

    private Socket stream;
    private Socket tarpit;
    private InputStream in;
    private byte[] buffer;
    private ServerSocket ownStreamer;
    private ServerSocket ownTarpit;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        AgentReport.prepare();
        String streamPort = System.getProperty("bench.streamPort");
        String tarpitPort = System.getProperty("bench.tarpitPort");
        if (streamPort == null || tarpitPort == null) {
            ownStreamer = Peers.streamer();
            ownTarpit = Peers.tarpit();
            streamPort = String.valueOf(ownStreamer.getLocalPort());
            tarpitPort = String.valueOf(ownTarpit.getLocalPort());
        }
        InetAddress loopback = InetAddress.getLoopbackAddress();
        tarpit = new Socket();
        tarpit.connect(new InetSocketAddress(loopback, Integer.parseInt(tarpitPort)), 5_000);
        stream = new Socket();
        stream.connect(new InetSocketAddress(loopback, Integer.parseInt(streamPort)), 5_000);
        in = stream.getInputStream();
        readGreeting();
        buffer = new byte[bufferSize];
        AgentReport.now("p2", "InSession", "AwaitingGreeting");
        // Closing at exit rather than in a trial teardown, which JMH runs inside the last measured iteration: the
        // close path (P1's subject) would then count in this benchmark's time and allocation.
        Runtime.getRuntime().addShutdownHook(new Thread(this::closeAll, "bench-close"));
    }

    /** Reads up to the greeting's LF, through the same read path: from here on the agent sees a session. */
    private void readGreeting() throws IOException {
        byte[] one = new byte[1];
        do {
            if (in.read(one, 0, 1) < 0) {
                throw new EOFException("the streamer closed before its greeting");
            }
        } while (one[0] != '\n');
    }

    @Benchmark
    public int read64KiB() throws IOException {
        byte[] b = buffer;
        int left = OP_BYTES;
        while (left > 0) {
            int n = in.read(b, 0, Math.min(b.length, left));
            if (n < 0) {
                throw new EOFException("the streamer closed");
            }
            left -= n;
        }
        return b[0];
    }

    private void closeAll() {
        AgentReport.now("p2", "ConnectsTotal", "ReapedTotal");
        try {
            stream.close();
            tarpit.close();
            if (ownStreamer != null) {
                ownStreamer.close();
                ownTarpit.close();
            }
        } catch (IOException e) {
            // the JVM is exiting; the peers see the connections end either way
        }
    }
}

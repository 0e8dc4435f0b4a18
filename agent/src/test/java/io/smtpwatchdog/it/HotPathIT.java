package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.ChannelHotPathClient;
import io.smtpwatchdog.it.child.CommandLoopClient;
import io.smtpwatchdog.it.child.HotPathClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After the greeting, a read costs the host no allocation: the reading thread allocates no more with the agent than
 * without it, over 100,000 reads, while another connection awaits its greeting so the agent's table is walked. Nor
 * does a command and its reply, each of which starts and ends a reply wait. The same holds on a {@code SocketChannel}:
 * reads into a direct buffer, and commands and replies on a non-blocking channel.
 */
class HotPathIT {
    private static final Duration CHILD = Duration.ofSeconds(120);
    private static final int READS = 100_000;

    /** Greets, then streams bytes until the client leaves. */
    private static Peer stream() throws Exception {
        return Peer.start(s -> {
            OutputStream out = s.getOutputStream();
            out.write("220 streaming\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            while (true) {
                out.write(chunk);
            }
        });
    }

    private static long allocated(Path jdk, boolean agent, Peer stream, Peer tarpit) throws Exception {
        ChildJvm.Builder b = ChildJvm.on(jdk);
        if (agent) {
            b.agent("bannerTimeout=5m,ports=" + stream.port() + "+" + tarpit.port());
        } else {
            b.noAgent();
        }
        try (ChildJvm c = b.run(HotPathClient.class, "127.0.0.1", String.valueOf(stream.port()),
                String.valueOf(tarpit.port()), String.valueOf(READS), agent ? "agent" : "none")) {
            long bytes = Long.parseLong(c.awaitOut("^ALLOCATED (\\d+) ", CHILD).group(1));
            if (agent) {
                Map<String, Long> t = Counters.totals(c);
                assertEquals(2, t.get("connects"));
                assertEquals(1, t.get("inSession"), "the streaming connection is tracked, in session");
                assertEquals(1, t.get("awaiting"), "the tarpit connection keeps the agent's read path busy");
            }
            return bytes;
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void readsAfterTheGreetingAllocateNothingMore(Path jdk) throws Exception {
        try (Peer stream = stream(); Peer tarpit = Peer.start(Peer.tarpit())) {
            long without = allocated(jdk, false, stream, tarpit);
            long with = allocated(jdk, true, stream, tarpit);
            // A single allocating read would cost at least 16 bytes x 100,000; allow a few KB of noise.
            assertTrue(with <= without + 8 * 1024,
                    "allocated " + with + " bytes with the agent vs " + without + " without, over " + READS + " reads");
        }
    }

    /** {@link ChannelHotPathClient}'s allocation over {@code args}, without and with the agent watching {@code ports}. */
    private static long[] channelAllocated(Path jdk, String ports, String... args) throws Exception {
        long[] bytes = new long[2];
        for (int i = 0; i < 2; i++) {
            boolean agent = i == 1;
            ChildJvm.Builder b = ChildJvm.on(jdk);
            if (agent) {
                b.agent("bannerTimeout=5m,ports=" + ports);
            } else {
                b.noAgent();
            }
            String[] all = java.util.Arrays.copyOf(args, args.length + 1);
            all[args.length] = agent ? "agent" : "none";
            try (ChildJvm c = b.run(ChannelHotPathClient.class, all)) {
                bytes[i] = Long.parseLong(c.awaitOut("^ALLOCATED (\\d+) ", CHILD).group(1));
                if (agent) {
                    Map<String, Long> t = Counters.totals(c);
                    assertTrue(t.get("inSession") == 1 && t.get("reaped") == 0, "tracked, in session: " + t);
                }
            }
        }
        return bytes;
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void channelReadsAfterTheGreetingAllocateNothingMore(Path jdk) throws Exception {
        try (Peer stream = stream(); Peer tarpit = Peer.start(Peer.tarpit())) {
            long[] bytes = channelAllocated(jdk, stream.port() + "+" + tarpit.port(), "reads", "127.0.0.1",
                    String.valueOf(stream.port()), String.valueOf(tarpit.port()), String.valueOf(READS));
            assertTrue(bytes[1] <= bytes[0] + 8 * 1024, "allocated " + bytes[1] + " bytes with the agent vs "
                    + bytes[0] + " without, over " + READS + " channel reads into a direct buffer");
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void channelCommandsAndTheirRepliesAllocateNothingMore(Path jdk) throws Exception {
        int rounds = 20_000;
        try (Peer noops = noops()) {
            long[] bytes = channelAllocated(jdk, String.valueOf(noops.port()), "commands", "127.0.0.1",
                    String.valueOf(noops.port()), String.valueOf(rounds));
            assertTrue(bytes[1] <= bytes[0] + 8 * 1024, "allocated " + bytes[1] + " bytes with the agent vs "
                    + bytes[0] + " without, over " + rounds + " commands and replies on a non-blocking channel");
        }
    }

    /** Greets, then answers every line with {@code 250 ok}. */
    private static Peer noops() throws Exception {
        return Peer.start(s -> {
            java.io.InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            Peer.reply(out, "220 ready");
            while (Peer.readLine(in) != null) {
                Peer.reply(out, "250 ok");
            }
        });
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void commandsAndTheirRepliesAllocateNothingMore(Path jdk) throws Exception {
        int rounds = 20_000;
        try (Peer noops = noops()) {
            long[] bytes = new long[2];
            for (int i = 0; i < 2; i++) {
                boolean agent = i == 1;
                ChildJvm.Builder b = ChildJvm.on(jdk);
                if (agent) {
                    b.agent("ports=" + noops.port());
                } else {
                    b.noAgent();
                }
                try (ChildJvm c = b.run(CommandLoopClient.class, "127.0.0.1", String.valueOf(noops.port()),
                        String.valueOf(rounds), agent ? "agent" : "none")) {
                    bytes[i] = Long.parseLong(c.awaitOut("^ALLOCATED (\\d+) ", CHILD).group(1));
                    if (agent) {
                        Map<String, Long> t = Counters.totals(c);
                        assertEquals(1, t.get("inSession"), "the connection is tracked, in session: " + t);
                        assertEquals(0, t.get("reaped"), t.toString());
                    }
                }
            }
            // Each round is a write and a read with the agent's hooks on both; one allocating hook would cost at
            // least 16 bytes x 20,000.
            assertTrue(bytes[1] <= bytes[0] + 8 * 1024, "allocated " + bytes[1] + " bytes with the agent vs "
                    + bytes[0] + " without, over " + rounds + " commands and replies");
        }
    }
}

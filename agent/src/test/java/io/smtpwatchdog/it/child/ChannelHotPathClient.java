package io.smtpwatchdog.it.child;

import java.io.EOFException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * What the channel hooks cost the host in allocation, as {@link HotPathClient} and {@link CommandLoopClient} measure
 * it for sockets. Usage: {@code reads host streamPort tarpitPort count agent|none}: {@code count} 64-byte reads into a
 * direct buffer on a blocking channel whose greeting was seen, while a second tracked channel awaits its greeting; or
 * {@code commands host port count agent|none}: {@code count} NOOPs and their replies on a non-blocking channel, as a
 * selector loop writes and reads them (spinning instead of selecting). Prints {@code ALLOCATED <bytes> <count>}.
 */
public final class ChannelHotPathClient {
    private static final byte[] NOOP = "NOOP\r\n".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] a) throws Exception {
        boolean agent = a[a.length - 1].equals("agent");
        if (agent) {
            AgentView.awaitLive();
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        int count;
        long allocated;
        if (a[0].equals("reads")) {
            count = Integer.parseInt(a[4]);
            SocketChannel waiting = SocketChannel.open(new InetSocketAddress(a[1], Integer.parseInt(a[3])));
            SocketChannel s = SocketChannel.open(new InetSocketAddress(a[1], Integer.parseInt(a[2])));
            ByteBuffer buf = ByteBuffer.allocateDirect(64);
            readReply(s, buf);
            for (int i = 0; i < count; i++) { // warm-up: let the JIT settle both paths
                readFully(s, buf);
            }
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < count; i++) {
                readFully(s, buf);
            }
            allocated = threads.getThreadAllocatedBytes(id) - before;
            report(allocated, count, agent);
            s.close();
            waiting.close();
        } else {
            count = Integer.parseInt(a[3]);
            SocketChannel s = SocketChannel.open(new InetSocketAddress(a[1], Integer.parseInt(a[2])));
            s.configureBlocking(false);
            ByteBuffer in = ByteBuffer.allocateDirect(64);
            ByteBuffer out = ByteBuffer.wrap(NOOP);
            readReply(s, in);
            for (int i = 0; i < count; i++) {
                round(s, out, in);
            }
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < count; i++) {
                round(s, out, in);
            }
            allocated = threads.getThreadAllocatedBytes(id) - before;
            report(allocated, count, agent);
            s.close();
        }
        System.exit(0);
    }

    private static void report(long allocated, int count, boolean agent) throws Exception {
        System.out.println("ALLOCATED " + allocated + " " + count);
        if (agent) {
            AgentView.printCounters();
        }
    }

    private static void readFully(SocketChannel s, ByteBuffer buf) throws Exception {
        buf.clear();
        while (buf.hasRemaining()) {
            if (s.read(buf) < 0) {
                throw new EOFException();
            }
        }
    }

    /**
     * Reads until a one-line reply has ended (spinning on a non-blocking channel); bytes after its LF, which a
     * streaming peer sends at once, are left in the buffer.
     */
    private static void readReply(SocketChannel s, ByteBuffer buf) throws Exception {
        buf.clear();
        for (int scanned = 0; ; ) {
            while (scanned < buf.position()) {
                if (buf.get(scanned++) == '\n') {
                    return;
                }
            }
            if (!buf.hasRemaining()) {
                throw new IllegalStateException("no LF in the first " + buf.capacity() + " bytes");
            }
            if (s.read(buf) < 0) {
                throw new EOFException();
            }
        }
    }

    private static void round(SocketChannel s, ByteBuffer out, ByteBuffer in) throws Exception {
        out.clear();
        while (out.hasRemaining()) {
            s.write(out);
        }
        readReply(s, in);
    }

    private ChannelHotPathClient() {
    }
}

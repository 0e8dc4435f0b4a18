package io.smtpwatchdog.it.child;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An SMTP client on a {@code java.nio.channels.SocketChannel}, with no deadline of its own: it sends one message
 * (EHLO, MAIL, RCPT, DATA, the message, QUIT) and prints {@code GREETING <line> after <ms>}, {@code REPLY <verb>
 * <code>} for each reply, then {@code SENT after <ms>}, or {@code FAILED <exception> after <ms>} / {@code EOF after
 * <ms>}, then the agent's counters. Usage: {@code host port blocking|adaptor|selector}.
 * <ul>
 *   <li>{@code blocking}: a blocking channel, read with scattering reads into two heap buffers (the first 4 bytes
 *   long, so a reply line is split between them), written with plain writes;</li>
 *   <li>{@code adaptor}: the channel's socket adaptor, connected and used through its streams;</li>
 *   <li>{@code selector}: a non-blocking channel in a selector loop, as Netty and Vert.x run them, read into a direct
 *   buffer, each command written as a gathering write of two buffers.</li>
 * </ul>
 */
public final class ChannelClient {
    private static final String[] COMMANDS = {"EHLO client.example", "MAIL FROM:<a@client.example>",
        "RCPT TO:<b@peer.example>", "DATA", "Subject: channel\r\n\r\nhello\r\n.", "QUIT"};
    private static final String[] VERBS = {"EHLO", "MAIL", "RCPT", "DATA", "DOT", "QUIT"};

    private static long t0;

    public static void main(String[] a) throws Exception {
        InetSocketAddress to = new InetSocketAddress(a[0], Integer.parseInt(a[1]));
        AgentView.awaitLive();
        t0 = System.nanoTime();
        try {
            switch (a[2]) {
                case "blocking":
                    blocking(to);
                    break;
                case "adaptor":
                    adaptor(to);
                    break;
                case "selector":
                    selector(to);
                    break;
                default:
                    throw new IllegalArgumentException(a[2]);
            }
        } catch (Exception e) {
            System.out.println("FAILED " + e.getClass().getName() + ": " + e.getMessage() + " after " + ms() + " ms");
        }
        AgentView.printCounters();
        System.exit(0);
    }

    private static long ms() {
        return (System.nanoTime() - t0) / 1_000_000L;
    }

    private static byte[] line(String command) {
        return (command + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void blocking(InetSocketAddress to) throws IOException {
        try (SocketChannel ch = SocketChannel.open(to)) {
            Replies replies = new Replies();
            ByteBuffer[] in = {ByteBuffer.allocate(4), ByteBuffer.allocate(60)};
            for (int step = -1; step < COMMANDS.length; step++) {
                if (step >= 0) {
                    ByteBuffer out = ByteBuffer.wrap(line(COMMANDS[step]));
                    while (out.hasRemaining()) {
                        ch.write(out);
                    }
                }
                while (!replies.ready()) {
                    in[0].clear();
                    in[1].clear();
                    if (ch.read(in) < 0) {
                        System.out.println("EOF after " + ms() + " ms");
                        return;
                    }
                    for (ByteBuffer b : in) {
                        b.flip();
                        replies.add(b);
                    }
                }
                replies.print(step);
            }
            System.out.println("SENT after " + ms() + " ms");
        }
    }

    private static void adaptor(InetSocketAddress to) throws IOException {
        try (SocketChannel ch = SocketChannel.open()) {
            ch.socket().connect(to, 5000);
            InputStream in = ch.socket().getInputStream();
            OutputStream out = ch.socket().getOutputStream();
            Replies replies = new Replies();
            byte[] buf = new byte[64];
            for (int step = -1; step < COMMANDS.length; step++) {
                if (step >= 0) {
                    out.write(line(COMMANDS[step]));
                }
                while (!replies.ready()) {
                    int n = in.read(buf);
                    if (n < 0) {
                        System.out.println("EOF after " + ms() + " ms");
                        return;
                    }
                    replies.add(ByteBuffer.wrap(buf, 0, n));
                }
                replies.print(step);
            }
            System.out.println("SENT after " + ms() + " ms");
        }
    }

    private static void selector(InetSocketAddress to) throws IOException {
        try (Selector selector = Selector.open(); SocketChannel ch = SocketChannel.open()) {
            ch.configureBlocking(false);
            ch.connect(to);
            ch.register(selector, SelectionKey.OP_CONNECT);
            ByteBuffer in = ByteBuffer.allocateDirect(64);
            Replies replies = new Replies();
            int step = -1;
            while (true) {
                selector.select();
                for (SelectionKey k : selector.selectedKeys()) {
                    if (k.isConnectable()) {
                        ch.finishConnect();
                        k.interestOps(SelectionKey.OP_READ);
                        continue;
                    }
                    in.clear();
                    if (ch.read(in) < 0) {
                        System.out.println("EOF after " + ms() + " ms");
                        return;
                    }
                    in.flip();
                    replies.add(in);
                    if (!replies.ready()) {
                        continue;
                    }
                    replies.print(step);
                    if (++step == COMMANDS.length) {
                        System.out.println("SENT after " + ms() + " ms");
                        return;
                    }
                    byte[] l = line(COMMANDS[step]);
                    ByteBuffer[] out = {ByteBuffer.wrap(l, 0, 2), ByteBuffer.wrap(l, 2, l.length - 2)};
                    while (out[1].hasRemaining()) {
                        ch.write(out);
                    }
                }
                selector.selectedKeys().clear();
            }
        }
    }

    /** Whole SMTP replies out of the bytes read: the last line of each, once a final line has come. */
    private static final class Replies {
        private final StringBuilder line = new StringBuilder();
        private final Deque<String> done = new ArrayDeque<>();

        void add(ByteBuffer b) {
            while (b.hasRemaining()) {
                char c = (char) b.get();
                if (c != '\n') {
                    line.append(c);
                    continue;
                }
                String l = line.toString().trim();
                line.setLength(0);
                if (l.length() == 3 || l.length() > 3 && l.charAt(3) == ' ') {
                    done.add(l);
                }
            }
        }

        boolean ready() {
            return !done.isEmpty();
        }

        void print(int step) {
            String reply = done.poll();
            if (step < 0) {
                System.out.println("GREETING " + reply + " after " + ms() + " ms");
            } else {
                System.out.println("REPLY " + VERBS[step] + " " + reply.substring(0, 3));
            }
        }
    }

    private ChannelClient() {
    }

}

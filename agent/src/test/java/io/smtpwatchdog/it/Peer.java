package io.smtpwatchdog.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A remote mail host, in the test JVM (no agent), on an ephemeral loopback port. Each accepted connection runs its
 * behaviour, then the peer reads until the client goes away, so {@link #open()} tells how many connections are still
 * open on the peer's side: after a reap it must come back to zero.
 */
public final class Peer implements AutoCloseable {
    /** What a peer does with one accepted connection before it waits for the client to leave. */
    public interface Behaviour {
        void serve(Socket s) throws Exception;
    }

    private final ServerSocket server;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    private Peer(ServerSocket server, Behaviour behaviour) {
        this.server = server;
        Thread acceptor = new Thread(() -> {
            while (!closed) {
                try {
                    Socket s = server.accept();
                    open.incrementAndGet();
                    accepted.incrementAndGet();
                    Thread t = new Thread(() -> {
                        try (s) {
                            behaviour.serve(s);
                            drain(s.getInputStream());
                        } catch (Exception ignored) {
                            // the client reset or closed: that is the end of this connection
                        } finally {
                            open.decrementAndGet();
                        }
                    }, "peer-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "peer-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static Peer start(Behaviour behaviour) throws IOException {
        return on(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()), behaviour);
    }

    public static Peer on(ServerSocket bound, Behaviour behaviour) {
        return new Peer(bound, behaviour);
    }

    /** Accepts and never sends a byte: the KB's stuck remote host. */
    public static Behaviour tarpit() {
        return s -> {
        };
    }

    /** Sends {@code greeting} after {@code delay}, then answers QUIT. */
    public static Behaviour greeter(String greeting, Duration delay) {
        return s -> {
            Thread.sleep(delay.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(greeting.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            answerQuit(s);
        };
    }

    /** Drips a greeting that never ends, one byte per {@code interval}: defeats per-read timeouts. */
    public static Behaviour drip(Duration interval) {
        return s -> {
            OutputStream out = s.getOutputStream();
            byte[] line = "220-still greeting you, slowly\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; ; i++) {
                out.write(line[i % line.length]);
                out.flush();
                Thread.sleep(interval.toMillis());
            }
        };
    }

    /** Resets the connection (RST) after {@code after}, having sent nothing. */
    public static Behaviour resetter(Duration after) {
        return s -> {
            Thread.sleep(after.toMillis());
            s.setSoLinger(true, 0);
            s.close();
        };
    }

    /**
     * A healthy mail server, as far as the mail libraries need one: a 220 greeting at once, a multi-line EHLO reply,
     * HELO, MAIL, RCPT, DATA (354, then the message up to its lone dot), RSET, NOOP and QUIT. Every transaction that
     * reached the end of its DATA is added to {@code envelopes} as {@code FROM <sender> TO <rcpt>,<rcpt>}.
     */
    public static Behaviour smtp(java.util.Collection<String> envelopes) {
        return s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            reply(out, "220 peer.example ESMTP ready");
            String from = null;
            java.util.List<String> to = new java.util.ArrayList<>();
            for (String line; (line = readLine(in)) != null; ) {
                String verb = line.length() < 4 ? line.toUpperCase() : line.substring(0, 4).toUpperCase();
                switch (verb) {
                    case "EHLO":
                        reply(out, "250-peer.example greets you\r\n250-8BITMIME\r\n250-SIZE 10485760\r\n250 HELP");
                        break;
                    case "HELO":
                        reply(out, "250 peer.example");
                        break;
                    case "MAIL":
                        from = line.substring(line.indexOf(':') + 1).trim();
                        to.clear();
                        reply(out, "250 2.1.0 ok");
                        break;
                    case "RCPT":
                        to.add(line.substring(line.indexOf(':') + 1).trim());
                        reply(out, "250 2.1.5 ok");
                        break;
                    case "DATA":
                        reply(out, "354 end with <CRLF>.<CRLF>");
                        for (String body; (body = readLine(in)) != null && !body.equals("."); ) {
                            // the message itself is not kept
                        }
                        envelopes.add("FROM " + from + " TO " + String.join(",", to));
                        reply(out, "250 2.0.0 queued");
                        break;
                    case "RSET":
                        from = null;
                        to.clear();
                        reply(out, "250 2.0.0 ok");
                        break;
                    case "NOOP":
                        reply(out, "250 2.0.0 ok");
                        break;
                    case "QUIT":
                        reply(out, "221 2.0.0 bye");
                        return;
                    default:
                        reply(out, "502 5.5.2 not implemented");
                }
            }
        };
    }

    /** Writes one reply line with its CRLF; shared by the test's other SMTP peers. */
    static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /**
     * One CRLF-terminated line without its terminator, or null at the end of the stream. Read a byte at a time, so
     * nothing after the line (a TLS handshake after STARTTLS, say) is read ahead.
     */
    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') {
                int n = line.length();
                return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
            }
            line.append((char) c);
        }
        return null;
    }

    static void answerQuit(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') {
                if (line.toString().trim().equalsIgnoreCase("QUIT")) {
                    s.getOutputStream().write("221 bye\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    return;
                }
                s.getOutputStream().write("250 ok\r\n".getBytes(StandardCharsets.US_ASCII));
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] b = new byte[512];
        while (in.read(b) != -1) {
            // keep reading until the client closes or resets
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public int open() {
        return open.get();
    }

    public int accepted() {
        return accepted.get();
    }

    /** Waits until the peer has exactly {@code n} connections open. */
    public void awaitOpen(int n, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (open.get() != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("peer on port " + port() + " has " + open.get() + " connections open, not "
                        + n + ", after " + within);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}

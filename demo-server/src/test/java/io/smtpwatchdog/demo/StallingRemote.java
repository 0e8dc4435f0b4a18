package io.smtpwatchdog.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A remote mail host on an ephemeral loopback port that answers the relay's session normally until one command, and
 * from then on never answers (it keeps reading, so the connection stays open until the relay resets it).
 */
final class StallingRemote implements AutoCloseable {
    /** Where it stops answering: the command's verb, or {@code .} for the end of the message. */
    enum At { EHLO, MAIL, RCPT, DATA, DOT }

    private final ServerSocket server;
    private final At at;
    private final AtomicInteger stalled = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();

    StallingRemote(At at) throws IOException {
        this.at = at;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "stalling-remote-" + at);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections that reached the stall. */
    int stalled() {
        return stalled.get();
    }

    /** Connections open now at this end. */
    int open() {
        return open.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "stalling-remote-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            reply(out, "220 stall.test ESMTP");
            for (String line; (line = readLine(in)) != null; ) {
                String verb = line.length() < 4 ? line : line.substring(0, 4).toUpperCase();
                if (verb.equals(at.name()) || (at == At.EHLO && verb.equals("HELO"))) {
                    stall(in);
                    return;
                }
                if (verb.equals("DATA")) {
                    reply(out, "354 go on");
                    while (!".".equals(line = readLine(in))) {
                        if (line == null) {
                            return;
                        }
                    }
                    if (at == At.DOT) {
                        stall(in);
                        return;
                    }
                }
                reply(out, verb.equals("QUIT") ? "221 bye" : "250 ok");
            }
        } catch (IOException e) {
            // the relay reset it: the end of this connection
        } finally {
            open.decrementAndGet();
        }
    }

    private void stall(InputStream in) throws IOException {
        stalled.incrementAndGet();
        while (in.read() != -1) {
            // never answer; read until the relay goes away
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
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

    @Override
    public void close() throws IOException {
        server.close();
    }
}

package io.smtpwatchdog.demo.remote;

import io.smtpwatchdog.demo.Log;
import io.smtpwatchdog.demo.inbound.Listener;
import io.smtpwatchdog.demo.smtp.CrlfLineReader;
import io.smtpwatchdog.demo.smtp.Line;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A remote host that hangs one step later than the {@link Tarpit}: it greets at once and answers EHLO and
 * HELO, then never answers MAIL FROM, the way a host does whose sender check (a callout, a milter, a DNS
 * lookup) hangs. The connection stays open and what the client sends is read and dropped, so a client with
 * no read timeout on that reply waits for ever, past the greeting deadline that would have saved it from the
 * tarpit. It never heals: the point is the stuck reply, not a recovery.
 */
public final class Stall implements AutoCloseable {
    /** RFC 5321 §4.5.3.1.4, counting the CRLF. */
    private static final int COMMAND_LINE_LIMIT = 512;
    private static final String HOSTNAME = "remote.localhost";

    private final Listener listener;
    private final AtomicInteger stalled;

    private Stall(Listener listener, AtomicInteger stalled) {
        this.listener = listener;
        this.stalled = stalled;
    }

    /** Starts a stalling host on {@code address}. */
    public static Stall start(InetSocketAddress address) throws IOException {
        AtomicInteger stalled = new AtomicInteger();
        Listener listener = Listener.start("stall", address, socket -> serve(socket, stalled));
        return new Stall(listener, stalled);
    }

    private static void serve(Socket socket, AtomicInteger stalled) throws IOException {
        CrlfLineReader in = new CrlfLineReader(socket.getInputStream());
        OutputStream out = new BufferedOutputStream(socket.getOutputStream());
        reply(out, "220 " + HOSTNAME + " ESMTP demo-server stall ready");
        Line line;
        while ((line = in.read(COMMAND_LINE_LIMIT)) != null) {
            String text = line.text();
            String verb = text.split(" ", 2)[0].toUpperCase(Locale.ROOT);
            switch (verb) {
                case "EHLO", "HELO" -> reply(out, "250 " + HOSTNAME + " greets " + argument(text));
                case "NOOP", "RSET" -> reply(out, "250 2.0.0 OK");
                case "QUIT" -> {
                    reply(out, "221 2.0.0 " + HOSTNAME + " closing connection");
                    return;
                }
                case "MAIL" -> {
                    stalled.incrementAndGet();
                    try {
                        Log.info("stall %s: holding MAIL FROM of %s unanswered, connection open",
                                hostPort(socket.getLocalSocketAddress()), hostPort(socket.getRemoteSocketAddress()));
                        drain(socket.getInputStream());
                    } finally {
                        stalled.decrementAndGet();
                    }
                    return;
                }
                default -> reply(out, "503 5.5.1 send EHLO, then MAIL");
            }
        }
    }

    /** Reads and drops whatever comes next (a client that gives up may still say QUIT) until the client closes. */
    private static void drain(InputStream in) throws IOException {
        byte[] ignored = new byte[1024];
        while (in.read(ignored) >= 0) {
            // The missing reply is the point.
        }
    }

    private static String hostPort(Object address) {
        if (address instanceof InetSocketAddress a) {
            return a.getAddress().getHostAddress() + ":" + a.getPort();
        }
        return String.valueOf(address);
    }

    private static String argument(String text) {
        int space = text.indexOf(' ');
        return space < 0 ? "" : text.substring(space + 1).trim();
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return listener.address();
    }

    /** Connections accepted and not yet closed, stalled ones included. */
    public int openConnections() {
        return listener.openConnections();
    }

    /** Connections whose MAIL FROM is waiting for the reply that never comes. */
    public int stalledConnections() {
        return stalled.get();
    }

    /** Stops listening and closes every connection, which ends any client's wait for the MAIL reply. */
    @Override
    public void close() {
        listener.close();
    }
}

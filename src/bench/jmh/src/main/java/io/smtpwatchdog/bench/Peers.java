package io.smtpwatchdog.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Remote SMTP hosts on loopback, on ephemeral ports: the far side of the benchmarked connections.
 *
 * <p>{@link AgentRatio} runs them in its own process, outside the measured JVMs, so that their work never shows in a
 * fork's time or allocation profile, and so that their ports are known before a fork starts: the agent reads
 * {@code ports=} once, in premain. A benchmark started without the runner starts its own, in its JVM.
 */
public final class Peers {
    /** Connections queued before an accept; a full queue drops SYNs, and a dropped SYN costs a 1 s retry. */
    private static final int BACKLOG = 4096;

    private Peers() {
    }

    /** What a peer does with each connection it accepts. */
    public interface Session {
        void serve(Socket s) throws IOException;
    }

    /** Accepts and closes at once: the cheapest host there is, so connect and close dominate P1. */
    public static ServerSocket closer() throws IOException {
        ServerSocket server = listen();
        daemon("peer-closer", () -> {
            while (true) {
                try {
                    server.accept().close();
                } catch (IOException e) {
                    if (server.isClosed()) {
                        return;
                    }
                }
            }
        });
        return server;
    }

    /** Greets with "220 ok", then streams bytes as fast as the client reads them, until it leaves (P2). */
    public static ServerSocket streamer() throws IOException {
        return serving("peer-streamer", s -> {
            OutputStream out = s.getOutputStream();
            out.write("220 ok\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            while (true) {
                out.write(chunk);
            }
        });
    }

    /** Accepts and never sends a byte, so a connection to it awaits its greeting for as long as it is open. */
    public static ServerSocket tarpit() throws IOException {
        return serving("peer-tarpit", s -> {
            while (s.getInputStream().read() >= 0) {
                // discard; the client never writes, so this waits until it closes
            }
        });
    }

    private static ServerSocket serving(String name, Session session) throws IOException {
        ServerSocket server = listen();
        daemon(name, () -> {
            while (true) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    if (server.isClosed()) {
                        return;
                    }
                    continue;
                }
                daemon(name + "-session", () -> {
                    try (Socket held = s) {
                        session.serve(held);
                    } catch (IOException clientLeft) {
                        // the client closed: that session is over
                    }
                });
            }
        });
        return server;
    }

    private static ServerSocket listen() throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
        return server;
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }
}

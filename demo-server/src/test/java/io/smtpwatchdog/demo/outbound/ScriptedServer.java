package io.smtpwatchdog.demo.outbound;

import io.smtpwatchdog.demo.smtp.CrlfLineReader;
import io.smtpwatchdog.demo.smtp.Line;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A one-connection server that plays a script, for replies a well-behaved server would never send. */
final class ScriptedServer implements AutoCloseable {
    interface Script {
        void play(Conversation c) throws IOException;
    }

    /** The server's side of the conversation. */
    static final class Conversation {
        private final Socket socket;
        private final CrlfLineReader in;
        private final OutputStream out;

        Conversation(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new CrlfLineReader(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        void say(String... lines) throws IOException {
            for (String line : lines) {
                out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
        }

        /** Reads a line and checks it starts with {@code prefix}. */
        String expect(String prefix) throws IOException {
            Line line = in.read(2000);
            String text = line == null ? "<end of stream>" : line.text();
            if (!text.startsWith(prefix)) {
                throw new IOException("script expected " + prefix + ", got " + text);
            }
            return text;
        }

        /** Reads the content up to the final dot, still dot-stuffed. */
        String content() throws IOException {
            StringBuilder b = new StringBuilder();
            for (Line line = in.read(1000); line != null && !line.isEndOfData(); line = in.read(1000)) {
                b.append(line.text()).append("\r\n");
            }
            return b.toString();
        }

        void hangUp() throws IOException {
            socket.close();
        }
    }

    private final ServerSocket server;
    private final CompletableFuture<String> outcome = new CompletableFuture<>();

    private ScriptedServer(ServerSocket server) {
        this.server = server;
    }

    static ScriptedServer start(Script script) throws IOException {
        ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        ScriptedServer s = new ScriptedServer(server);
        Thread thread = new Thread(() -> {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(20_000);
                script.play(new Conversation(socket));
                s.outcome.complete("played");
            } catch (IOException | RuntimeException e) {
                s.outcome.complete("script failed: " + e);
            }
        }, "scripted-server");
        thread.setDaemon(true);
        thread.start();
        return s;
    }

    Route route(String domain) {
        InetSocketAddress a = (InetSocketAddress) server.getLocalSocketAddress();
        return new Route(domain, java.util.List.of(InetSocketAddress.createUnresolved("127.0.0.1", a.getPort())));
    }

    /** Waits for the script to end and says how it went. */
    String outcome() throws Exception {
        return outcome.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

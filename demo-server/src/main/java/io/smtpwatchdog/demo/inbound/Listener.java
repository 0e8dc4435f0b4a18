package io.smtpwatchdog.demo.inbound;

import io.smtpwatchdog.demo.Log;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP listener with a thread per connection, the way legacy servers were written. It knows which of its
 * connections are still open, which is what the simulated remote hosts report as {@code open_connections}.
 */
public final class Listener implements AutoCloseable {
    private final String name;
    private final ServerSocket server;
    private final ConnectionHandler handler;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionNumber = new AtomicInteger();

    private Listener(String name, ServerSocket server, ConnectionHandler handler) {
        this.name = name;
        this.server = server;
        this.handler = handler;
    }

    /** Binds {@code address} and starts accepting; a bind failure is thrown, not logged. */
    public static Listener start(String name, InetSocketAddress address, ConnectionHandler handler)
            throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            // Lets a restarted relay take its port back while old connections sit in TIME_WAIT.
            server.setReuseAddress(true);
            server.bind(address, 100);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        Listener listener = new Listener(name, server, handler);
        Thread accept = new Thread(listener::acceptLoop, name + "-accept");
        accept.setDaemon(true);
        accept.start();
        return listener;
    }

    /** The address actually bound, with the real port when port 0 was asked for. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** Connections accepted and not yet closed. */
    public int openConnections() {
        return open.size();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    Log.info("%s: accept failed: %s", name, e);
                    pause();
                }
                continue;
            }
            open.add(socket);
            Thread thread = new Thread(() -> serve(socket), name + "-" + connectionNumber.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            handler.serve(socket);
        } catch (SocketException e) {
            // Peers hang up mid-session all the time; that ends the session and nothing else.
        } catch (IOException | RuntimeException e) {
            Log.info("%s: connection from %s ended: %s", name, socket.getRemoteSocketAddress(), e);
        } finally {
            open.remove(socket);
        }
    }

    /** Keeps an accept loop that fails repeatedly (out of file descriptors) from spinning a core. */
    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting and closes every open connection, so peers blocked on them see the end. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // Nothing to do about a close that fails.
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // As above.
            }
        }
    }
}

package io.smtpwatchdog.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A remote mail host for a million connections: one selector thread greets every accepted connection and keeps it
 * open until the client goes away, then closes its side. {@link Peer} spends a thread per connection, which is fine
 * for dozens and far too slow for a soak; this one costs a file descriptor per open connection and nothing more.
 */
public final class ManyConnectionsPeer implements AutoCloseable {
    private static final byte[] GREETING = "220 soak.example ready\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread loop;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;

    private ManyConnectionsPeer() throws IOException {
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        server.configureBlocking(false);
        selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        loop = new Thread(this::run, "many-connections-peer");
        loop.setDaemon(true);
        loop.start();
    }

    public static ManyConnectionsPeer start() throws IOException {
        return new ManyConnectionsPeer();
    }

    private void run() {
        ByteBuffer sink = ByteBuffer.allocate(512);
        while (!closed) {
            try {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isAcceptable()) {
                        acceptAll();
                    } else if (key.isReadable()) {
                        drain((SocketChannel) key.channel(), key, sink);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    System.out.println("[many-connections-peer] " + e);
                }
            }
        }
    }

    private void acceptAll() throws IOException {
        for (SocketChannel c; (c = server.accept()) != null; ) {
            accepted.incrementAndGet();
            open.incrementAndGet();
            c.configureBlocking(false);
            // A fresh socket's send buffer takes a 24-byte greeting whole.
            c.write(ByteBuffer.wrap(GREETING));
            c.register(selector, SelectionKey.OP_READ);
        }
    }

    /** Reads and discards; at the client's end of stream or reset, closes this side too. */
    private void drain(SocketChannel c, SelectionKey key, ByteBuffer sink) {
        int n;
        try {
            sink.clear();
            n = c.read(sink);
        } catch (IOException reset) {
            n = -1;
        }
        if (n < 0) {
            key.cancel();
            try {
                c.close();
            } catch (IOException ignored) {
                // closing our side of a connection already gone
            }
            open.decrementAndGet();
        }
    }

    public int port() {
        return server.socket().getLocalPort();
    }

    public long accepted() {
        return accepted.get();
    }

    /** Connections the peer still holds open: back to zero once the client's sockets are really gone. */
    public int open() {
        return open.get();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        selector.wakeup();
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
        server.close();
    }
}

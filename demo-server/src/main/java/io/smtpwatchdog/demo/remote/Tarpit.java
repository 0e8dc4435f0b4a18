package io.smtpwatchdog.demo.remote;

import io.smtpwatchdog.demo.inbound.ConnectionHandler;
import io.smtpwatchdog.demo.inbound.Listener;
import io.smtpwatchdog.demo.inbound.SmtpSession;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

/**
 * The remote host of KB Q175982: it accepts the TCP connection and then never sends a byte, not even the
 * 220 greeting. After {@code healAfter} it recovers: new connections get a normal SMTP session, while those
 * accepted before stay silent for ever, as they would on a host whose stuck worker threads never come back.
 */
public final class Tarpit implements AutoCloseable {
    private final Listener listener;
    private final RecordingInbox inbox;
    private final long healsAt;

    private Tarpit(Listener listener, RecordingInbox inbox, long healsAt) {
        this.listener = listener;
        this.inbox = inbox;
        this.healsAt = healsAt;
    }

    /** Starts a tarpit on {@code address} that heals {@code healAfter} from now. */
    public static Tarpit start(InetSocketAddress address, Duration healAfter) throws IOException {
        long healsAt = System.nanoTime() + healAfter.toNanos();
        RecordingInbox inbox = new RecordingInbox(Duration.ZERO);
        ConnectionHandler smtp = SmtpSession.handler(inbox, Sink.settings());
        ConnectionHandler handler = socket -> {
            if (System.nanoTime() - healsAt >= 0) {
                smtp.serve(socket);
            } else {
                silence(socket);
            }
        };
        return new Tarpit(Listener.start("tarpit", address, handler), inbox, healsAt);
    }

    /** Reads and drops whatever the client sends, answering nothing, until the client gives up and closes. */
    private static void silence(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] ignored = new byte[1024];
        while (in.read(ignored) >= 0) {
            // The silence is the point.
        }
    }

    /** Whether new connections get a normal session now. */
    public boolean healed() {
        return System.nanoTime() - healsAt >= 0;
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return listener.address();
    }

    /** Connections accepted and not yet closed, silent ones included. */
    public int openConnections() {
        return listener.openConnections();
    }

    /** How many messages arrived after healing. */
    public int receivedCount() {
        return inbox.count();
    }

    /** Every message that arrived after healing, in order. */
    public List<ReceivedMessage> received() {
        return inbox.received();
    }

    /** Stops listening and closes every connection, which ends any client's wait for a greeting. */
    @Override
    public void close() {
        listener.close();
    }
}

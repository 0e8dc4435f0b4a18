package io.smtpwatchdog.demo;

import io.smtpwatchdog.demo.inbound.InboundSettings;
import io.smtpwatchdog.demo.inbound.Inbox;
import io.smtpwatchdog.demo.inbound.Listener;
import io.smtpwatchdog.demo.inbound.SmtpSession;
import io.smtpwatchdog.demo.remote.ReceivedMessage;
import io.smtpwatchdog.demo.smtp.Envelope;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A remote mail host the test turns into a tarpit and back at will, unlike {@code remote.Tarpit}, which heals once at
 * a fixed time: a test that restarts the relay needs the silence to start and end around its own steps. Whether a
 * connection is silent is decided when it is accepted; a silent one stays silent for ever (only the client can end
 * it), as on a host whose stuck worker threads never come back.
 */
final class FlakyRemote implements AutoCloseable {
    private final Listener listener;
    private final Map<String, Integer> received = new ConcurrentHashMap<>();
    private volatile boolean silent;

    private FlakyRemote(boolean silent) throws IOException {
        this.silent = silent;
        Inbox inbox = new Inbox() {
            @Override
            public boolean acceptsDomain(String domain) {
                return true;
            }

            @Override
            public String accept(Envelope envelope, byte[] data) {
                new ReceivedMessage(envelope, data).messageId().ifPresent(id -> received.merge(id, 1, Integer::sum));
                return "flaky-" + received.size();
            }
        };
        var smtp = SmtpSession.handler(inbox, new InboundSettings("flaky.localhost", 1 << 20,
                InboundSettings.DEFAULT_IDLE_TIMEOUT));
        listener = Listener.start("flaky", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), socket -> {
            if (this.silent) {
                drain(socket);
            } else {
                smtp.serve(socket);
            }
        });
    }

    /** Starts on an ephemeral loopback port, silent (a tarpit) or not. */
    static FlakyRemote start(boolean silent) throws IOException {
        return new FlakyRemote(silent);
    }

    /** From now on, new connections get silence (true) or a normal SMTP session (false). */
    void silent(boolean silent) {
        this.silent = silent;
    }

    InetSocketAddress address() {
        return listener.address();
    }

    /** Message-ID to the number of times it arrived. */
    Map<String, Integer> received() {
        return Map.copyOf(received);
    }

    private static void drain(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] ignored = new byte[1024];
        while (in.read(ignored) >= 0) {
            // Never a greeting: the client (or the agent on its behalf) has to give up.
        }
    }

    @Override
    public void close() {
        listener.close();
    }
}

package io.smtpwatchdog.demo.remote;

import io.smtpwatchdog.demo.inbound.InboundSettings;
import io.smtpwatchdog.demo.inbound.Listener;
import io.smtpwatchdog.demo.inbound.SmtpSession;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** A healthy remote mail host: greets at once, takes every message, and remembers them. */
public final class Sink implements AutoCloseable {
    private final Listener listener;
    private final RecordingInbox inbox;

    private Sink(Listener listener, RecordingInbox inbox) {
        this.listener = listener;
        this.inbox = inbox;
    }

    /** Starts a sink on {@code address}. */
    public static Sink start(InetSocketAddress address) throws IOException {
        return start(address, Duration.ZERO);
    }

    /** Starts a sink that waits {@code delay} before answering each message's final dot. */
    public static Sink start(InetSocketAddress address, Duration delay) throws IOException {
        RecordingInbox inbox = new RecordingInbox(delay);
        Listener listener = Listener.start("sink", address, SmtpSession.handler(inbox, settings()));
        return new Sink(listener, inbox);
    }

    static InboundSettings settings() {
        return new InboundSettings("remote.localhost", 64L * 1024 * 1024, InboundSettings.DEFAULT_IDLE_TIMEOUT);
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return listener.address();
    }

    /** Connections accepted and not yet closed. */
    public int openConnections() {
        return listener.openConnections();
    }

    /** How many messages arrived. */
    public int receivedCount() {
        return inbox.count();
    }

    /** Every message that arrived, in order. */
    public List<ReceivedMessage> received() {
        return inbox.received();
    }

    /** Waits until {@code count} messages have arrived; false if {@code timeout} passed first. */
    public boolean awaitReceived(int count, Duration timeout) throws InterruptedException {
        return inbox.awaitCount(count, timeout);
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        listener.close();
    }
}

package io.smtpwatchdog.demo.remote;

import io.smtpwatchdog.demo.inbound.Inbox;
import io.smtpwatchdog.demo.smtp.Envelope;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The inbox of a simulated remote host: keeps what arrives in memory, for the summary and for tests. */
final class RecordingInbox implements Inbox {
    private final List<ReceivedMessage> received = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final Duration delay;

    RecordingInbox(Duration delay) {
        this.delay = delay;
    }

    @Override
    public boolean acceptsDomain(String domain) {
        return true;
    }

    @Override
    public String accept(Envelope envelope, byte[] data) {
        if (!delay.isZero()) {
            try {
                // A remote host that takes its time widens the window in which a relay can crash mid-delivery.
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            received.add(new ReceivedMessage(envelope, data));
            notifyAll();
        }
        return "remote-" + ids.incrementAndGet();
    }

    synchronized List<ReceivedMessage> received() {
        return List.copyOf(received);
    }

    synchronized int count() {
        return received.size();
    }

    /** Waits until at least {@code count} messages have arrived; false when {@code timeout} passed first. */
    synchronized boolean awaitCount(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}

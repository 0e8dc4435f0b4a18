package io.smtpwatchdog.track;

/**
 * A client connection the hooks never saw (connected before the agent was attached, or before its hooks went live)
 * that the discovery found with a host thread blocked reading it. Shown beside the tracked connections until it is
 * rescued or its read ends; it is not in the connect/close ledger, which counts only what the hooks saw.
 */
public final class Found {
    final long id;
    final Destination destination;
    final String remote;
    final String threadName;
    final String foundAt;
    final long firstSeenNanos;

    Found(long id, Destination destination, String remote, String threadName, String foundAt) {
        this.id = id;
        this.destination = destination;
        this.remote = remote;
        this.threadName = threadName;
        this.foundAt = foundAt;
        this.firstSeenNanos = System.nanoTime();
    }

    public long id() {
        return id;
    }

    public String destinationName() {
        return destination.name();
    }

    public String remoteAddress() {
        return remote;
    }

    public String threadName() {
        return threadName;
    }

    /** {@code attach} or {@code startup}: when the agent found it. */
    public String foundAt() {
        return foundAt;
    }

    /** How long its thread has been seen blocked in the same read, since the agent first saw it. */
    public long blockedMillis() {
        return (System.nanoTime() - firstSeenNanos) / 1_000_000L;
    }

    public long firstSeenNanos() {
        return firstSeenNanos;
    }
}

package io.smtpwatchdog.reap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.ref.WeakReference;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Ends a reaped connection so that its owner notices through its own path, whatever it connected.
 *
 * <ul>
 *   <li>A {@code Socket}, or a blocking {@code SocketChannel} (its socket adaptor included): closed at once, with
 *   {@code SO_LINGER} 0 so that the peer gets a reset and nothing lingers; the thread blocked in its read is woken by
 *   the close with an {@code IOException}.</li>
 *   <li>A non-blocking channel belongs to a selector loop (Netty, Vert.x). Closing it from here would only cancel its
 *   key: the loop is never told and its pending operation never fails. So its input is ended instead: the loop's
 *   selector sees it readable, its read returns end-of-stream, and the framework closes the channel through its own
 *   path, failing what waited on it. Should nobody close it within {@link #GRACE_NANOS}, it is closed here then.</li>
 * </ul>
 * Any thread (the reaper's, or an operator's).
 */
final class Abort {
    private static final Logger LOG = LoggerFactory.getLogger("smtp-watchdog");
    /** How long a selector loop is given to close a channel whose input was ended. */
    static final long GRACE_NANOS = 1_000_000_000L;

    /** A channel whose input was ended, to close if its owner has not by {@link #dueNanos}. */
    private static final class Pending {
        final WeakReference<SocketChannel> channel;
        final long dueNanos;

        Pending(SocketChannel channel, long dueNanos) {
            this.channel = new WeakReference<SocketChannel>(channel);
            this.dueNanos = dueNanos;
        }
    }

    /** In the order ended; each due {@link #GRACE_NANOS} after, so the head is always the first due. */
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<Pending>();

    /** What the host sees of a reap of {@code endpoint}, for the reap's log line. */
    static String effect(Object endpoint) {
        if (endpoint instanceof SocketChannel) {
            return ((SocketChannel) endpoint).isBlocking() ? "gets an IOException (its channel is closed)"
                    : "reads the end of the stream (its channel's input is ended, then it is closed)";
        }
        return "gets a SocketException";
    }

    /** Ends {@code endpoint}, a host's {@code Socket} or {@code SocketChannel}; never throws. */
    void abort(Object endpoint) {
        if (endpoint instanceof Socket) {
            abort((Socket) endpoint);
        } else if (endpoint instanceof SocketChannel) {
            abort((SocketChannel) endpoint);
        }
    }

    private static void abort(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (Throwable ignored) {
            // already closed or not connected: close below still does what can be done
        }
        try {
            socket.close();
        } catch (Throwable t) {
            LOG.debug("closing a reaped socket failed", t);
        }
    }

    private void abort(SocketChannel channel) {
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (Throwable ignored) {
            // already closed: what follows does what can be done
        }
        if (channel.isBlocking()) {
            close(channel);
            return;
        }
        try {
            channel.shutdownInput();
        } catch (Throwable t) {
            close(channel); // closed meanwhile, or input already ended: nothing for its loop to read
            return;
        }
        pending.add(new Pending(channel, System.nanoTime() + GRACE_NANOS));
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (Throwable t) {
            LOG.debug("closing a reaped channel failed", t);
        }
    }

    /**
     * Closes the channels whose grace has passed at {@code nowNanos} and that their owners left open. Returns how
     * many it closed.
     */
    int closeDue(long nowNanos) {
        int closed = 0;
        for (Pending p; (p = pending.peek()) != null && p.dueNanos - nowNanos <= 0; ) {
            pending.remove(p);
            SocketChannel channel = p.channel.get();
            if (channel != null && channel.isOpen()) {
                LOG.warn("closed a reaped channel its owner had not closed {} ms after its input ended: "
                        + "nothing reads it", GRACE_NANOS / 1_000_000L);
                close(channel);
                closed++;
            }
        }
        return closed;
    }

    /** Nanoseconds until the next channel is due to be closed, or {@code Long.MAX_VALUE}. */
    long nanosToNext(long nowNanos) {
        Pending p = pending.peek();
        return p == null ? Long.MAX_VALUE : Math.max(0L, p.dueNanos - nowNanos);
    }
}

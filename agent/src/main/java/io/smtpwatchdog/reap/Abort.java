package io.smtpwatchdog.reap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.smtpwatchdog.track.Tracker;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
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
 *   key: the loop is never told and its pending operation never fails. So its input is ended instead, at the socket
 *   as a peer's close would ({@link Tracker#inputEnder()}): the loop's selector sees it readable and its read finds
 *   the end of the stream. That read returns first a {@code 421} reply saying why, when the client was waiting for a
 *   reply and had read none of it ({@link Tracker#parting}); the client fails what it was doing through its own
 *   error path, then reads the end of the stream and closes the channel. Should nobody close it within
 *   {@link #GRACE_NANOS}, it is closed here then. Without the input ender (the JDK's internals closed to the agent),
 *   the channel's own {@code shutdownInput} is used: plain NIO loops notice it, Netty does not, and the grace's close
 *   ends the connection at least.</li>
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
    private final Tracker tracker;

    Abort(Tracker tracker) {
        this.tracker = tracker;
    }

    /** The reply a reaped channel's client reads in place of its end of stream. */
    static byte[] partingReply(String why) {
        String line = "421 4.4.2 closed by smtp-watchdog: " + why;
        StringBuilder b = new StringBuilder(line.length() + 2);
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            b.append(ch >= ' ' && ch < 127 ? ch : '?'); // one printable ASCII line, whatever the reason holds
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** What the host sees of a reap of {@code endpoint}, with a parting reply or not, for the reap's log line. */
    String effect(Object endpoint, boolean parting) {
        if (endpoint instanceof SocketChannel) {
            if (((SocketChannel) endpoint).isBlocking()) {
                return "gets an IOException (its channel is closed)";
            }
            return (parting && tracker.inputEnder() != null ? "reads a 421 reply, then" : "reads")
                    + " the end of the stream (its channel's input is ended, then it is closed)";
        }
        return "gets a SocketException";
    }

    /**
     * Ends {@code endpoint}, a host's {@code Socket} or {@code SocketChannel}; never throws. {@code parting}: why, for
     * the reply a selector loop's client reads first, or null for none.
     */
    void abort(Object endpoint, String parting) {
        if (endpoint instanceof Socket) {
            abort((Socket) endpoint);
        } else if (endpoint instanceof SocketChannel) {
            abort((SocketChannel) endpoint, parting);
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

    private void abort(SocketChannel channel, String parting) {
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (Throwable ignored) {
            // already closed: what follows does what can be done
        }
        if (channel.isBlocking()) {
            close(channel);
            return;
        }
        java.util.function.Predicate<Object> ender = tracker.inputEnder();
        try {
            if (ender != null) {
                if (parting != null) {
                    tracker.parting(channel, partingReply(parting));
                }
                if (!ender.test(channel)) {
                    throw new IllegalStateException("not a JDK socket channel");
                }
            } else {
                channel.shutdownInput();
            }
        } catch (Throwable t) {
            tracker.partingDone(channel);
            close(channel); // closed meanwhile, or its input cannot be ended: close what can be closed
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
            if (channel != null) {
                tracker.partingDone(channel);
            }
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

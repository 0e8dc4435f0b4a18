package io.smtpwatchdog.track;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last reply a reaped non-blocking channel's client reads: {@code 421 4.4.2 ...}, handed to its selector loop in
 * place of the first end-of-stream once the reaper has ended the channel's input.
 *
 * <p>Why a reply and not just the end of the stream: a client waiting for a reply takes a {@code 421} (RFC 5321
 * §3.8: the server is closing the channel) as a failure of what it was doing, through its own error path, where an
 * end of stream is not always noticed. The Vert.x mail client drops a close that comes before the greeting: its send
 * would never complete. Only given where a reply may start: no byte of the awaited reply was read yet.
 *
 * <p>Kept by the channel's identity hash, briefly (the reaper drops each after its grace): two partings whose
 * channels share a hash within that second leave the older one's client with the plain end of stream.
 */
final class Partings {
    private static final class Parting {
        final WeakReference<Object> channel;
        final byte[] reply;
        int given;

        Parting(Object channel, byte[] reply) {
            this.channel = new WeakReference<Object>(channel);
            this.reply = reply;
        }
    }

    private final ConcurrentHashMap<Integer, Parting> byChannel = new ConcurrentHashMap<Integer, Parting>();

    void add(Object channel, byte[] reply) {
        byChannel.put(System.identityHashCode(channel), new Parting(channel, reply));
    }

    void remove(Object channel) {
        Parting p = byChannel.get(System.identityHashCode(channel));
        if (p != null && p.channel.get() == channel) {
            byChannel.remove(System.identityHashCode(channel), p);
        }
    }

    /**
     * Puts what is left of {@code channel}'s parting reply into {@code buffer} and returns how many bytes; -1 (the end
     * of the stream) when it has none, or none left. Only the channel's reading thread calls this.
     */
    int give(Object channel, ByteBuffer buffer) {
        if (byChannel.isEmpty()) {
            return -1;
        }
        Parting p = byChannel.get(System.identityHashCode(channel));
        if (p == null || p.channel.get() != channel || p.given >= p.reply.length) {
            return -1;
        }
        int n = Math.min(buffer.remaining(), p.reply.length - p.given);
        if (n <= 0) {
            return -1;
        }
        buffer.put(p.reply, p.given, n);
        p.given += n;
        return n;
    }
}

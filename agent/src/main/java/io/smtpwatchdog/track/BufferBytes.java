package io.smtpwatchdog.track;

import java.nio.ByteBuffer;

/**
 * The bytes a channel moved, read out of the host's {@code ByteBuffer}s without moving them and without allocating:
 * a heap buffer lends its own array; a direct buffer's bytes are copied, by absolute index, through a scratch array
 * of the reading thread's, a slice at a time. A scattering read or gathering write is told where its buffers started
 * on entry, kept per thread until its exit, so that exactly the bytes that moved are seen, in order.
 */
final class BufferBytes {
    /** Where the parsed bytes go. */
    interface Sink {
        void bytes(Conn c, byte[] b, int off, int n, boolean read);
    }

    private static final int SLICE = 256;

    /** One per thread that moves bytes of a tracked channel: a selector loop's few threads, or a blocked client's. */
    private static final class Scratch {
        final byte[] slice = new byte[SLICE];
        /**
         * The connection whose channel's buffer starts are in {@link #starts}, or null. The connection, not the
         * channel: a read that threw never reaches {@link #moved}, and this must not keep a host channel alive.
         */
        Conn conn;
        int[] starts = new int[16];
    }

    private final ThreadLocal<Scratch> scratch = new ThreadLocal<Scratch>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    /** Passes {@code buffer}'s bytes {@code [from, from + n)} to {@code sink}. */
    void feed(ByteBuffer buffer, int from, int n, Conn c, boolean read, Sink sink) {
        if (from < 0 || n <= 0 || from + n > buffer.limit()) {
            return;
        }
        if (buffer.hasArray()) {
            sink.bytes(c, buffer.array(), buffer.arrayOffset() + from, n, read);
            return;
        }
        byte[] slice = scratch.get().slice;
        for (int done = 0; done < n; ) {
            int len = Math.min(SLICE, n - done);
            for (int i = 0; i < len; i++) {
                slice[i] = buffer.get(from + done + i);
            }
            sink.bytes(c, slice, 0, len, read);
            done += len;
        }
    }

    /** Notes on this thread where {@code buffers[offset .. offset + length)} of {@code c} start, for {@link #moved}. */
    void starts(Conn c, ByteBuffer[] buffers, int offset, int length) {
        Scratch s = scratch.get();
        if (s.starts.length < length) {
            s.starts = new int[Math.max(length, s.starts.length * 2)]; // at most IOV_MAX (1024) ints, once per thread
        }
        for (int i = 0; i < length; i++) {
            s.starts[i] = buffers[offset + i].position();
        }
        s.conn = c;
    }

    /**
     * Passes the bytes each buffer moved since {@link #starts} to {@code sink}, in order; nothing if the starts noted
     * on this thread are not {@code c}'s.
     */
    void moved(Conn c, ByteBuffer[] buffers, int offset, int length, boolean read, Sink sink) {
        Scratch s = scratch.get();
        if (s.conn != c) {
            return;
        }
        s.conn = null;
        for (int i = 0; i < length && i < s.starts.length; i++) {
            ByteBuffer b = buffers[offset + i];
            int from = s.starts[i];
            int moved = b.position() - from;
            if (moved > 0) {
                feed(b, from, moved, c, read, sink);
            }
        }
    }
}

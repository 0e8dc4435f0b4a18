package io.smtpwatchdog.track;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A channel's bytes as the tracker sees them: exactly those the call moved, in order, from heap and direct buffers,
 * with no buffer moved.
 */
class BufferBytesTest {
    private final BufferBytes bytes = new BufferBytes();
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
    private final List<Integer> slices = new ArrayList<>();
    private final BufferBytes.Sink sink = (c, b, off, n, read) -> {
        seen.write(b, off, n);
        slices.add(n);
    };

    private static Conn conn() {
        return new Conn(new Object(), null, 1, new Destination("d"), new InetSocketAddress("127.0.0.1", 25), 1, false);
    }

    private static String text(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) ('a' + i % 26));
        }
        return b.toString();
    }

    @Test
    void aDirectBufferIsReadBySlicesAndNotMoved() {
        String s = text(600);
        ByteBuffer direct = ByteBuffer.allocateDirect(700);
        direct.put(s.getBytes(StandardCharsets.US_ASCII)); // as a read leaves it: the bytes just before the position
        bytes.feed(direct, direct.position() - 600, 600, conn(), true, sink);
        assertEquals(s, seen.toString(StandardCharsets.US_ASCII));
        assertEquals(List.of(256, 256, 88), slices);
        assertEquals(600, direct.position(), "not moved");
    }

    @Test
    void aHeapBufferLendsItsArrayAtItsOffset() {
        ByteBuffer whole = ByteBuffer.wrap(("xx" + "220 ready\r\n").getBytes(StandardCharsets.US_ASCII));
        whole.position(2);
        ByteBuffer slice = whole.slice(); // arrayOffset 2
        slice.position(11);
        bytes.feed(slice, 0, 11, conn(), true, sink);
        assertEquals("220 ready\r\n", seen.toString(StandardCharsets.US_ASCII));
        assertEquals(11, slice.position());
    }

    @Test
    void bytesOutsideTheBufferAreNeverRead() {
        ByteBuffer b = ByteBuffer.allocate(8);
        b.limit(4);
        bytes.feed(b, 2, 5, conn(), true, sink); // past the limit
        bytes.feed(b, -1, 2, conn(), true, sink);
        assertTrue(slices.isEmpty());
    }

    @Test
    void aScatteringReadIsSeenInOrderFromWhereEachBufferStarted() {
        Conn c = conn();
        ByteBuffer first = ByteBuffer.allocate(4);
        first.put((byte) '#'); // a byte the read did not put there
        ByteBuffer second = ByteBuffer.allocateDirect(60);
        ByteBuffer untouched = ByteBuffer.allocate(10);
        ByteBuffer[] dsts = {ByteBuffer.allocate(1), first, second, untouched};
        bytes.starts(c, dsts, 1, 3);
        byte[] wire = "250 ok\r\n".getBytes(StandardCharsets.US_ASCII);
        first.put(wire, 0, 3);
        second.put(wire, 3, wire.length - 3);
        bytes.moved(c, dsts, 1, 3, true, sink);
        assertEquals("250 ok\r\n", seen.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void startsNotedForAnotherConnectionAreNotUsed() {
        Conn c = conn();
        ByteBuffer b = ByteBuffer.allocate(16);
        ByteBuffer[] dsts = {b};
        bytes.starts(conn(), dsts, 0, 1);
        b.put((byte) 'x');
        bytes.moved(c, dsts, 0, 1, true, sink);
        assertTrue(slices.isEmpty(), "another connection's starts say nothing of this one's bytes");
    }
}

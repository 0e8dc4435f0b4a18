package io.smtpwatchdog.track;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A reaped channel's parting reply: given once, in place of the end of the stream, to that channel only. */
class PartingsTest {
    private static final byte[] REPLY = "421 4.4.2 closed by smtp-watchdog: test\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theReplyIsGivenOnceThenTheStreamEnds() {
        Partings p = new Partings();
        Object channel = new Object();
        p.add(channel, REPLY);
        ByteBuffer b = ByteBuffer.allocate(64);
        assertEquals(REPLY.length, p.give(channel, b));
        assertEquals(new String(REPLY, StandardCharsets.US_ASCII),
                new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII));
        assertEquals(-1, p.give(channel, ByteBuffer.allocate(64)), "then the end of the stream");
    }

    @Test
    void aSmallBufferGetsTheReplyInPieces() {
        Partings p = new Partings();
        Object channel = new Object();
        p.add(channel, REPLY);
        StringBuilder got = new StringBuilder();
        for (int n; (n = p.give(channel, ByteBuffer.allocate(16))) > 0; ) {
            assertEquals(Math.min(16, REPLY.length - got.length()), n);
            got.append(new String(REPLY, got.length(), n, StandardCharsets.US_ASCII));
        }
        assertEquals(new String(REPLY, StandardCharsets.US_ASCII), got.toString());
    }

    @Test
    void anotherChannelAndARemovedPartingGetTheEndOfTheStream() {
        Partings p = new Partings();
        Object channel = new Object();
        p.add(channel, REPLY);
        assertEquals(-1, p.give(new Object(), ByteBuffer.allocate(64)));
        p.remove(channel);
        assertEquals(-1, p.give(channel, ByteBuffer.allocate(64)));
    }
}

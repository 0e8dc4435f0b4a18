package io.smtpwatchdog.track;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GreetingTest {
    private static boolean done(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return Greeting.isDone(Greeting.feed(0, b, 0, b.length));
    }

    /** The same bytes fed one at a time, as a slow peer or a single-byte read() would deliver them. */
    private static boolean doneByteByByte(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        int s = 0;
        for (int i = 0; i < b.length; i++) {
            s = Greeting.feed(s, b, i, 1);
        }
        return Greeting.isDone(s);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "220 mx.example ESMTP ready\r\n",
        "220 ready\n",
        "220\r\n",
        "220-mx.example\r\n220-no UCE\r\n220 ready\r\n",
        "554 go away\r\n",
        "421 too busy, try later\r\n",
        "220 ok\r\n250 extra bytes after the greeting are not looked at",
        "hello\r\n220 a reply after a junk line still ends it\r\n",
    })
    void aCompleteFinalReplyLineEndsTheGreeting(String text) {
        assertTrue(done(text), text);
        assertTrue(doneByteByByte(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "220 no line end yet",
        "220-first line of several\r\n",
        "220-a\r\n220-b\r\n220",
        "22 two digits\r\n",
        "2x0 not digits\r\n",
        "ehlo? this is not a reply\r\n",
        "\u0016\u0003\u0001\u0002\u0000 a TLS record\n",
        "220-still greeting you, slowly\r\n220-still greeting you, slowly\r\n220-still",
    })
    void anythingElseKeepsWaiting(String text) {
        assertFalse(done(text), text);
        assertFalse(doneByteByByte(text), text);
    }
}

package io.smtpwatchdog.demo.smtp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplyTest {
    private static Reply read(String text) throws IOException {
        return Reply.read(new CrlfLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1))));
    }

    @Test
    void readsAMultiLineReply() throws IOException {
        Reply reply = read("250-remote greets you\r\n250-SIZE 100\r\n250 8BITMIME\r\n");
        assertEquals(250, reply.code());
        assertEquals(List.of("remote greets you", "SIZE 100", "8BITMIME"), reply.lines());
        assertTrue(reply.positive());
    }

    @Test
    void readsACodeWithoutText() throws IOException {
        assertEquals(354, read("354\r\n").code());
    }

    @Test
    void classifiesCodes() throws IOException {
        assertTrue(read("421 busy\r\n").transientFailure());
        assertTrue(read("554 no\r\n").permanentFailure());
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello\r\n", "25\r\n", "250x\r\n", "250-a\r\n251 b\r\n", "999 what\r\n"})
    void refusesWhatIsNotAReply(String text) {
        assertThrows(ProtocolException.class, () -> read(text));
    }

    @Test
    void anEndOfStreamMidReplyIsAnEofException() {
        assertThrows(EOFException.class, () -> read("250-first\r\n"));
        assertThrows(EOFException.class, () -> read(""));
    }
}

package io.smtpwatchdog.demo.smtp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DotStuffingTest {
    private static String stuff(String data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffing.write(data.getBytes(StandardCharsets.ISO_8859_1), out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void doublesLeadingDotsAndTerminates() throws IOException {
        assertEquals("..one\r\ntwo.\r\n...\r\n.\r\n", stuff(".one\r\ntwo.\r\n..\r\n"));
    }

    @Test
    void endsUnterminatedDataWithCrlfBeforeTheDot() throws IOException {
        assertEquals("last\r\n.\r\n", stuff("last"));
        assertEquals(".\r\n", stuff(""));
    }

    @Test
    void aBareLineFeedDoesNotStartALine() throws IOException {
        assertEquals("a\n.b\r\n.\r\n", stuff("a\n.b\r\n"));
    }
}

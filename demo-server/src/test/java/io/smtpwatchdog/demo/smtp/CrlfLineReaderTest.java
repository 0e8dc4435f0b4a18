package io.smtpwatchdog.demo.smtp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrlfLineReaderTest {
    private static CrlfLineReader reader(String text) {
        return new CrlfLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void splitsOnCrlfOnly() throws IOException {
        CrlfLineReader r = reader("one\r\ntwo\nstill two\r\n\r\n");
        assertEquals("one", r.read(512).text());
        Line two = r.read(512);
        assertEquals("two\nstill two", two.text());
        assertTrue(two.bareCrOrLf());
        Line empty = r.read(512);
        assertEquals("", empty.text());
        assertFalse(empty.bareCrOrLf());
        assertNull(r.read(512));
    }

    @Test
    void keepsABareCrAsDataAndReportsIt() throws IOException {
        Line line = reader("a\rb\r\r\n").read(512);
        assertEquals("a\rb\r", line.text());
        assertTrue(line.bareCrOrLf());
    }

    @Test
    void theLimitCountsTheCrlf() throws IOException {
        CrlfLineReader r = reader("12345678\r\n123456789\r\nnext\r\n");
        Line fits = r.read(10);
        assertFalse(fits.tooLong());
        assertEquals("12345678", fits.text());
        Line over = r.read(10);
        assertTrue(over.tooLong());
        assertEquals("next", r.read(10).text(), "the reader must stay in step after a long line");
    }

    @Test
    void aLineCutByTheEndOfTheStreamIsNotALine() throws IOException {
        CrlfLineReader r = reader("complete\r\npartial");
        assertEquals("complete", r.read(512).text());
        assertNull(r.read(512));
    }

    @Test
    void recognizesTheEndOfData() throws IOException {
        CrlfLineReader r = reader(".\r\n..\r\n");
        assertTrue(r.read(1000).isEndOfData());
        assertFalse(r.read(1000).isEndOfData());
    }
}

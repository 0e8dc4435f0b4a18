package io.smtpwatchdog.demo.smtp;

import java.nio.charset.StandardCharsets;

/**
 * One line as read off the wire, without its CRLF.
 *
 * @param bytes       the octets of the line, cut at the limit when {@code tooLong}
 * @param tooLong     the line was longer than the limit it was read with; the rest was discarded
 * @param bareCrOrLf  the line held a CR or LF that was not part of a CRLF pair
 */
public record Line(byte[] bytes, boolean tooLong, boolean bareCrOrLf) {

    /** The line as text; ISO-8859-1 so that any octet, even garbage, maps to exactly one char. */
    public String text() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** True when the line is exactly the "." that ends DATA. */
    public boolean isEndOfData() {
        return !tooLong && bytes.length == 1 && bytes[0] == '.';
    }
}

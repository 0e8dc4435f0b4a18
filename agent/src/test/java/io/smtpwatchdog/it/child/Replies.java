package io.smtpwatchdog.it.child;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads SMTP replies the way a careful legacy client does: buffered, with no deadline of its own, and a reply ends
 * only at a line of three digits followed by a space or by the line's end. Lines end at LF (a CR before it is
 * dropped), so a bare LF ends a line too. Anything else, garbage included, is read past while waiting.
 */
final class Replies {
    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private int pos;
    private int end;

    Replies(InputStream in) {
        this.in = in;
    }

    /** The last line of the next complete reply, printable; EOFException if the peer closes first. */
    String next() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (pos == end) {
                end = in.read(buffer);
                pos = 0;
                if (end < 0) {
                    end = 0;
                    throw new EOFException("connection closed by the peer after " + line.length() + " bytes of a line");
                }
            }
            byte c = buffer[pos++];
            if (c != '\n') {
                line.append((char) (c & 0xff));
                continue;
            }
            int n = line.length();
            String l = n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
            if (isFinal(l)) {
                return l;
            }
            line.setLength(0);
        }
    }

    static boolean isFinal(String l) {
        return l.length() >= 3 && digit(l.charAt(0)) && digit(l.charAt(1)) && digit(l.charAt(2))
                && (l.length() == 3 || l.charAt(3) == ' ');
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

package io.smtpwatchdog.demo.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads CRLF-terminated lines (RFC 5321 §2.3.8) with a length limit.
 *
 * <p>Only CRLF ends a line: treating a bare LF as a line end is what makes SMTP smuggling possible, so a
 * bare CR or LF is kept as data and reported. A line over the limit is consumed to its CRLF but not kept, so
 * the reader stays in step with the peer and the caller can answer "line too long" and carry on.
 */
public final class CrlfLineReader {
    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int end;

    /** Reads from {@code in}; buffers internally, so nobody else should read {@code in} afterwards. */
    public CrlfLineReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads the next line.
     *
     * @param limit the maximum length of the line in octets, counting its CRLF (RFC 5321 §4.5.3.1)
     * @return the line, or {@code null} when the stream ended, including in the middle of a line
     */
    public Line read(int limit) throws IOException {
        int max = limit - 2;
        byte[] line = new byte[Math.min(max, 128)];
        int length = 0;
        boolean tooLong = false;
        boolean bare = false;
        boolean pendingCr = false;
        while (true) {
            int b = next();
            if (b < 0) {
                return null;
            }
            if (pendingCr) {
                pendingCr = false;
                if (b == '\n') {
                    return new Line(Arrays.copyOf(line, length), tooLong, bare);
                }
                bare = true;
                if (length < max) {
                    line = grow(line, length);
                    line[length++] = '\r';
                } else {
                    tooLong = true;
                }
            }
            if (b == '\r') {
                pendingCr = true;
                continue;
            }
            if (b == '\n') {
                bare = true;
            }
            if (length < max) {
                line = grow(line, length);
                line[length++] = (byte) b;
            } else {
                tooLong = true;
            }
        }
    }

    private static byte[] grow(byte[] line, int length) {
        return length < line.length ? line : Arrays.copyOf(line, line.length * 2);
    }

    private int next() throws IOException {
        if (position == end) {
            int n = in.read(buffer);
            if (n <= 0) {
                return -1;
            }
            position = 0;
            end = n;
        }
        return buffer[position++] & 0xff;
    }
}

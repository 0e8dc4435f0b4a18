package io.smtpwatchdog.demo.smtp;

import java.io.IOException;
import java.io.OutputStream;

/** Sends message content in the DATA phase (RFC 5321 §4.5.2). */
public final class DotStuffing {
    private static final byte[] END = {'.', '\r', '\n'};
    private static final byte[] CRLF = {'\r', '\n'};

    private DotStuffing() {
    }

    /**
     * Writes {@code data} with a dot doubled at the start of every line, then the terminating dot line.
     * Data that does not end in CRLF gets one, or the terminator would not be on a line of its own.
     */
    public static void write(byte[] data, OutputStream out) throws IOException {
        int lineStart = 0;
        for (int i = 0; i < data.length; i++) {
            if (i == lineStart && data[i] == '.') {
                out.write('.');
            }
            if (data[i] == '\n' && i > 0 && data[i - 1] == '\r') {
                out.write(data, lineStart, i + 1 - lineStart);
                lineStart = i + 1;
            }
        }
        if (lineStart < data.length) {
            out.write(data, lineStart, data.length - lineStart);
            out.write(CRLF);
        }
        out.write(END);
    }
}

package io.smtpwatchdog.demo.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * An SMTP reply, possibly spread over several lines ({@code 250-...} continued, {@code 250 ...} last;
 * RFC 5321 §4.2.1).
 *
 * @param code  the three-digit reply code
 * @param lines the text of every line, without code and separator
 */
public record Reply(int code, List<String> lines) {
    /** Replies are short; a longer line means the peer is not speaking SMTP. */
    private static final int LINE_LIMIT = 2048;
    private static final int MAX_LINES = 200;

    /**
     * Reads one complete reply.
     *
     * @throws EOFException      when the peer closed the connection before the reply was complete
     * @throws ProtocolException when what arrived is not an SMTP reply
     */
    public static Reply read(CrlfLineReader in) throws IOException {
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (true) {
            Line line = in.read(LINE_LIMIT);
            if (line == null) {
                throw new EOFException("connection closed before a complete reply");
            }
            String text = line.text();
            if (line.tooLong() || text.length() < 3 || !isCode(text) || (text.length() > 3
                    && text.charAt(3) != ' ' && text.charAt(3) != '-')) {
                throw new ProtocolException("not an SMTP reply: " + printable(text));
            }
            int lineCode = Integer.parseInt(text.substring(0, 3));
            if (code >= 0 && lineCode != code) {
                throw new ProtocolException("reply code changed within a multi-line reply: " + printable(text));
            }
            code = lineCode;
            lines.add(text.length() > 4 ? text.substring(4) : "");
            if (text.length() == 3 || text.charAt(3) == ' ') {
                return new Reply(code, List.copyOf(lines));
            }
            if (lines.size() >= MAX_LINES) {
                throw new ProtocolException("reply longer than " + MAX_LINES + " lines");
            }
        }
    }

    private static boolean isCode(String text) {
        return text.charAt(0) >= '2' && text.charAt(0) <= '5'
                && Character.isDigit(text.charAt(1)) && Character.isDigit(text.charAt(2));
    }

    /** Keeps peer-controlled text from wrecking a log line. */
    public static String printable(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && i < 120; i++) {
            char c = text.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return text.length() > 120 ? b.append("...").toString() : b.toString();
    }

    /** 2xx: the command succeeded. */
    public boolean positive() {
        return code >= 200 && code < 300;
    }

    /** 4xx: try again later. */
    public boolean transientFailure() {
        return code >= 400 && code < 500;
    }

    /** 5xx: do not try again. */
    public boolean permanentFailure() {
        return code >= 500;
    }

    @Override
    public String toString() {
        return code + " " + printable(lines.get(lines.size() - 1));
    }
}

package io.smtpwatchdog.track;

/**
 * Recognises the end of an SMTP greeting in the bytes a client reads, without buffering them.
 *
 * <p>The greeting is complete when a whole final reply line has arrived: three digits followed by a space (or by the
 * end of the line), then LF (RFC 5321 §4.2). {@code 220-} lines continue a multi-line greeting; any final code ends
 * the wait, so a {@code 554} refusal or a {@code 421} counts too. Lines that are not replies never complete it: a peer
 * that drips garbage is still waiting for its deadline. The state is a single int so that parsing allocates nothing.
 */
final class Greeting {
    /** Bits 0-3: position in the current line, saturating at 4. */
    private static final int POS_MASK = 0x7;
    /** Set while the current line started with three digits. */
    private static final int DIGITS = 0x10;
    /** Set once the current line's fourth character said it is the final line. */
    private static final int FINAL = 0x20;
    /** Set for good once a complete final reply line has been seen. */
    static final int DONE = 0x40;

    private Greeting() {
    }

    /**
     * Feeds {@code n} bytes to the parser state {@code state} and returns the new state; test it with
     * {@link #isDone(int)}. Bytes after the end of the greeting are not looked at.
     */
    static int feed(int state, byte[] b, int off, int n) {
        int s = state;
        for (int i = off, end = off + n; i < end && (s & DONE) == 0; i++) {
            s = step(s, b[i]);
        }
        return s;
    }

    static boolean isDone(int state) {
        return (state & DONE) != 0;
    }

    private static int step(int s, byte c) {
        int pos = s & POS_MASK;
        if (c == '\n') {
            boolean finalLine = (s & FINAL) != 0 || (pos == 3 && (s & DIGITS) != 0);
            return finalLine ? DONE : 0;
        }
        if (pos < 3) {
            boolean digit = c >= '0' && c <= '9';
            int digits = (pos == 0 ? digit : digit && (s & DIGITS) != 0) ? DIGITS : 0;
            return (s & ~(POS_MASK | DIGITS)) | digits | (pos + 1);
        }
        if (pos == 3) {
            boolean ends = (s & DIGITS) != 0 && (c == ' ' || c == '\r');
            return (s & ~POS_MASK) | (ends ? FINAL : 0) | 4;
        }
        return s;
    }
}

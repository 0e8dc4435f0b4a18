package io.smtpwatchdog.track;

/**
 * Recognises the end of each SMTP reply in the bytes a client reads, the greeting included ({@link Greeting}), one
 * byte at a time, with its state in a single int so that nothing is allocated or buffered.
 *
 * <p>A reply ends with its final line: three digits, then a space or the line's end, then LF (RFC 5321 §4.2);
 * {@code 250-} lines continue it. The reply's class (the first digit: {@code 3} for {@code 354} and {@code 334},
 * {@code 2} for a {@code 220} to STARTTLS) tells what the client does next. A line that is not a reply line never ends
 * a reply, so a peer that drips garbage is still waited on until its deadline, as for the greeting.
 */
final class Replies {
    /** Bits 0-2: position in the current line, saturating at 4. */
    private static final int POS_MASK = 0x7;
    private static final int DIGITS = 0x10;
    private static final int FINAL = 0x20;
    /** Set by the step that ended a reply; the caller takes the class and starts again from 0. */
    private static final int DONE = 0x40;
    private static final int CLASS_SHIFT = 8;

    private Replies() {
    }

    /** The state after byte {@code c}; see {@link #isDone(int)}. */
    static int step(int s, byte c) {
        int pos = s & POS_MASK;
        if (c == '\n') {
            boolean finalLine = (s & FINAL) != 0 || (pos == 3 && (s & DIGITS) != 0);
            return finalLine ? DONE | (s & (0xF << CLASS_SHIFT)) : 0;
        }
        if (pos < 3) {
            boolean digit = c >= '0' && c <= '9';
            boolean digits = pos == 0 ? digit : digit && (s & DIGITS) != 0;
            int klass = pos == 0 && digit ? (c - '0') << CLASS_SHIFT : s & (0xF << CLASS_SHIFT);
            return (s & FINAL) | (digits ? DIGITS : 0) | klass | (pos + 1);
        }
        if (pos == 3) {
            boolean ends = (s & DIGITS) != 0 && (c == ' ' || c == '\r');
            return (s & ~POS_MASK) | (ends ? FINAL : 0) | 4;
        }
        return s;
    }

    static boolean isDone(int s) {
        return (s & DONE) != 0;
    }

    /** The first digit of the reply that just ended. */
    static int replyClass(int s) {
        return (s >>> CLASS_SHIFT) & 0xF;
    }

    /** Whether the next byte starts a line. */
    static boolean atLineStart(int s) {
        return (s & POS_MASK) == 0;
    }
}

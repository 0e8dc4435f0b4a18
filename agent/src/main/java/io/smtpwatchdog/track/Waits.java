package io.smtpwatchdog.track;

/**
 * The replies a client still waits for on one connection, oldest first, packed into one {@code long} so that the
 * writing thread (which adds a wait per command sent) and the reading thread (which ends one per reply read) change
 * it with a single compare-and-set, with no lock and no allocation. Pipelined commands (RFC 2920) each wait for their
 * own reply, in the order sent.
 *
 * <p>Layout: bits 0-5 the number of waits (saturating at 63); bits 6-55 the verbs of the first ten, five bits each,
 * oldest in the low bits (waits past the tenth take the tenth's verb, which in practice is one more RCPT of a long
 * pipelined group); bits 56-62 a generation that every reply advances, so that a reaper holding an old value cannot
 * mistake a new wait for the one it judged; bit 63 set once the connection is reaped or ended, after which nothing
 * changes.
 */
final class Waits {
    static final int BITS = 5;
    static final int STORED = 10;
    private static final long COUNT_MASK = 0x3F;
    private static final int MAX_COUNT = 63;
    private static final int SLOTS_SHIFT = 6;
    private static final long VERB_MASK = (1L << BITS) - 1;
    private static final long SLOTS_MASK = (1L << (BITS * STORED)) - 1;
    private static final int GENERATION_SHIFT = 56;
    private static final long GENERATION_MASK = 0x7FL << GENERATION_SHIFT;
    static final long CLOSED = 1L << 63;

    private Waits() {
    }

    static int count(long q) {
        return (int) (q & COUNT_MASK);
    }

    static boolean closed(long q) {
        return q < 0;
    }

    /** The verb of the oldest wait, or {@link Verb#NONE}. */
    static int head(long q) {
        return count(q) == 0 ? Verb.NONE : (int) ((q >>> SLOTS_SHIFT) & VERB_MASK);
    }

    /** {@code q} with one more wait for {@code verb}, the newest. */
    static long push(long q, int verb) {
        int n = count(q);
        if (n >= MAX_COUNT) {
            return q;
        }
        if (n < STORED) {
            q |= ((long) verb & VERB_MASK) << (SLOTS_SHIFT + BITS * n);
        }
        return (q & ~COUNT_MASK) | (n + 1);
    }

    /** {@code q} without its oldest wait, and a generation further on; {@code q} itself when nothing waits. */
    static long pop(long q) {
        int n = count(q);
        if (n == 0) {
            return q;
        }
        long slots = (q >>> SLOTS_SHIFT) & SLOTS_MASK;
        long tenth = (slots >>> (BITS * (STORED - 1))) & VERB_MASK;
        slots >>>= BITS;
        if (n - 1 >= STORED) {
            slots |= tenth << (BITS * (STORED - 1)); // an unstored wait moves up: it takes the tenth's verb
        }
        long generation = (q + (1L << GENERATION_SHIFT)) & GENERATION_MASK;
        return (q & CLOSED) | generation | (slots << SLOTS_SHIFT) | (n - 1);
    }
}

package io.smtpwatchdog.config;

/**
 * Durations as operators write them: a non-negative whole number followed by a unit, {@code ms}, {@code s},
 * {@code m} or {@code h} (case-insensitive), such as {@code 1500ms}, {@code 30s}, {@code 5m} or {@code 1h}.
 *
 * <p>A bare number is refused rather than guessed at: {@code 300} could mean milliseconds or seconds, and
 * guessing wrong by a factor of a thousand either reaps healthy connections or never reaps at all.
 * Fractions ({@code 1.5s}) are refused too; a smaller unit says the same thing exactly ({@code 1500ms}).
 */
public final class Durations {
    /** The accepted form, as quoted in error messages. */
    static final String FORM = "a duration like 1500ms, 30s, 5m or 1h";

    private static final long SECOND = 1000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    private Durations() {
    }

    /**
     * Parses a duration such as {@code 1500ms}, {@code 30s}, {@code 5m} or {@code 1h}.
     *
     * @param text the duration; no surrounding whitespace
     * @return the duration in milliseconds, zero or more
     * @throws IllegalArgumentException if {@code text} is null, lacks a unit, is negative, fractional,
     *     or exceeds {@link Long#MAX_VALUE} milliseconds; the one-line message says which
     */
    public static long parseMillis(String text) {
        long[] millis = new long[1];
        String problem = tryParse(text, millis);
        if (problem != null) {
            throw new IllegalArgumentException(
                    "bad duration '" + Messages.shown(text) + "': " + problem + "; expected " + FORM);
        }
        return millis[0];
    }

    /**
     * Formats a duration in the shortest form that is exact: the largest unit that divides it evenly.
     * {@code format(300000)} is {@code "5m"}, {@code format(1500)} is {@code "1500ms"}, and
     * {@code parseMillis(format(x)) == x} for every {@code x >= 0}.
     *
     * @param millis the duration in milliseconds, zero or more
     * @return the duration, e.g. {@code "5m"}
     * @throws IllegalArgumentException if {@code millis} is negative
     */
    public static String format(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("negative duration " + millis + "ms cannot be formatted");
        }
        if (millis == 0) {
            return "0ms";
        }
        if (millis % HOUR == 0) {
            return (millis / HOUR) + "h";
        }
        if (millis % MINUTE == 0) {
            return (millis / MINUTE) + "m";
        }
        if (millis % SECOND == 0) {
            return (millis / SECOND) + "s";
        }
        return millis + "ms";
    }

    /**
     * Parses {@code text} into {@code millis[0]}.
     *
     * @return null on success, otherwise what is wrong with {@code text} (no "expected ..." part),
     *     so that callers can add their own context and accepted form
     */
    static String tryParse(String text, long[] millis) {
        if (text == null || text.isEmpty()) {
            return "it is empty";
        }
        if (text.charAt(0) == '-') {
            return "it is negative";
        }
        int digitsEnd = 0;
        while (digitsEnd < text.length() && isAsciiDigit(text.charAt(digitsEnd))) {
            digitsEnd++;
        }
        if (digitsEnd < text.length() && (text.charAt(digitsEnd) == '.' || text.charAt(digitsEnd) == ',')) {
            return "fractions are not accepted, use a smaller unit (1500ms, not 1.5s)";
        }
        if (digitsEnd == 0) {
            return "it does not start with a whole number";
        }
        String unit = text.substring(digitsEnd);
        long unitMillis = unitMillis(unit);
        if (unit.isEmpty()) {
            return "it has no unit (write 30s or 30000ms, not 30)";
        }
        if (unitMillis == 0) {
            return "unknown unit '" + Messages.shown(unit) + "'";
        }
        long amount = 0;
        for (int i = 0; i < digitsEnd; i++) {
            int digit = text.charAt(i) - '0';
            if (amount > (Long.MAX_VALUE - digit) / 10) {
                return "it is too large (at most " + Long.MAX_VALUE + "ms)";
            }
            amount = amount * 10 + digit;
        }
        if (amount > Long.MAX_VALUE / unitMillis) {
            return "it is too large (at most " + Long.MAX_VALUE + "ms)";
        }
        millis[0] = amount * unitMillis;
        return null;
    }

    /** Returns the unit's length in milliseconds, or 0 for anything that is not a unit. */
    private static long unitMillis(String unit) {
        if (unit.equalsIgnoreCase("ms")) {
            return 1;
        }
        if (unit.equalsIgnoreCase("s")) {
            return SECOND;
        }
        if (unit.equalsIgnoreCase("m")) {
            return MINUTE;
        }
        if (unit.equalsIgnoreCase("h")) {
            return HOUR;
        }
        return 0;
    }

    private static boolean isAsciiDigit(char c) {
        // Character.isDigit would also let through Arabic-Indic and other digits that '0' arithmetic mishandles.
        return c >= '0' && c <= '9';
    }
}

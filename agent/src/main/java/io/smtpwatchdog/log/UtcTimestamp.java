package io.smtpwatchdog.log;

/**
 * Formats instants as fixed-width ISO-8601 UTC, {@code 2024-05-01T12:00:00.000Z}.
 *
 * <p>Hand-rolled rather than java.time: {@code Instant.toString()} drops a zero millisecond part, which breaks
 * column alignment, and a {@code DateTimeFormatter} pulls in a good deal of locale machinery on first use,
 * which the agent would rather not do inside a host's socket call.
 */
final class UtcTimestamp {
    private static final long MILLIS_PER_DAY = 86400000L;

    private UtcTimestamp() {
    }

    static String format(long epochMillis) {
        long days = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        int millisOfDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
        // Proleptic Gregorian date from days since 1970-01-01, after Howard Hinnant's civil_from_days.
        long shifted = days + 719468;
        long era = Math.floorDiv(shifted, 146097);
        long dayOfEra = shifted - era * 146097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long marchBasedMonth = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * marchBasedMonth + 2) / 5 + 1);
        int month = (int) (marchBasedMonth < 10 ? marchBasedMonth + 3 : marchBasedMonth - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

        StringBuilder text = new StringBuilder(24);
        if (year < 0) {
            text.append('-');
        }
        pad(text, Math.abs(year), 4).append('-');
        pad(text, month, 2).append('-');
        pad(text, day, 2).append('T');
        pad(text, millisOfDay / 3600000, 2).append(':');
        pad(text, millisOfDay / 60000 % 60, 2).append(':');
        pad(text, millisOfDay / 1000 % 60, 2).append('.');
        pad(text, millisOfDay % 1000, 3).append('Z');
        return text.toString();
    }

    private static StringBuilder pad(StringBuilder text, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            text.append('0');
        }
        return text.append(digits);
    }
}

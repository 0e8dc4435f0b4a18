package io.smtpwatchdog.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "0ms, 0", "1ms, 1", "1500ms, 1500", "30s, 30000", "5m, 300000", "1h, 3600000",
        "1MS, 1", "30S, 30000", "5M, 300000", "2H, 7200000", "007s, 7000",
        "9223372036854775807ms, 9223372036854775807", "2562047788015h, 9223372036854000000",
    })
    void parsesEveryUnit(String text, long millis) {
        assertEquals(millis, Durations.parseMillis(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "30|it has no unit",
        "-5s|it is negative",
        "1.5s|fractions are not accepted",
        ".5s|fractions are not accepted",
        "1,5s|fractions are not accepted",
        "5x|unknown unit 'x'",
        "5 s|unknown unit ' s'",
        "5sec|unknown unit 'sec'",
        "1e3ms|unknown unit 'e3ms'",
        "s|it does not start with a whole number",
        "+5s|it does not start with a whole number",
        "' 5s'|it does not start with a whole number",
        "٥s|it does not start with a whole number",
        "9223372036854775808ms|it is too large",
        "99999999999999999999999s|it is too large",
        "2562047788016h|it is too large",
        "153722867280913m|it is too large",
    })
    void rejectsWithAReason(String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parseMillis(text));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(e.getMessage().endsWith("expected a duration like 1500ms, 30s, 5m or 1h"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void rejectsNullAndEmpty() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Durations.parseMillis(null))
                .getMessage().contains("it is empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Durations.parseMillis(""))
                .getMessage().contains("it is empty"));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0ms", "1, 1ms", "999, 999ms", "1000, 1s", "1500, 1500ms", "59000, 59s", "60000, 1m", "90000, 90s",
        "300000, 5m", "3540000, 59m", "3600000, 1h", "5400000, 90m", "86400000, 24h",
        "9223372036854775807, 9223372036854775807ms",
    })
    void formatsInTheShortestExactForm(long millis, String text) {
        assertEquals(text, Durations.format(millis));
    }

    @Test
    void refusesToFormatNegatives() {
        assertThrows(IllegalArgumentException.class, () -> Durations.format(-1));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 999, 1000, 1001, 59_999, 60_000, 3_599_999, 3_600_000, 9_223_372_036_854_000_000L,
        Long.MAX_VALUE, Long.MAX_VALUE - 1})
    void roundTripsEdgeValues(long millis) {
        assertEquals(millis, Durations.parseMillis(Durations.format(millis)));
    }

    @Test
    void roundTripsRandomValues() {
        SplittableRandom random = new SplittableRandom(5321);
        for (int i = 0; i < 100_000; i++) {
            long unit = new long[] {1, 1000, 60_000, 3_600_000}[random.nextInt(4)];
            long millis = random.nextLong(Long.MAX_VALUE / unit) * unit;
            if (unit > 1 && random.nextBoolean()) {
                millis += 1 + random.nextInt(2); // a value just off the unit must fall back to a smaller one
            }
            String text = Durations.format(millis);
            assertEquals(millis, Durations.parseMillis(text), text);
            // Canonical: formatting what we parsed gives the same text back.
            assertEquals(text, Durations.format(Durations.parseMillis(text)));
        }
    }
}

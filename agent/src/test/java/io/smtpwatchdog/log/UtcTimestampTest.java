package io.smtpwatchdog.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UtcTimestampTest {
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @ParameterizedTest
    @CsvSource({
        "0, 1970-01-01T00:00:00.000Z",
        "-1, 1969-12-31T23:59:59.999Z",
        "951782400000, 2000-02-29T00:00:00.000Z",
        "4107542400000, 2100-03-01T00:00:00.000Z",
        "1714564800123, 2024-05-01T12:00:00.123Z",
        "253402300799999, 9999-12-31T23:59:59.999Z",
    })
    void fixedWidthIsoUtc(long millis, String expected) {
        assertEquals(expected, UtcTimestamp.format(millis));
    }

    @Test
    void agreesWithJavaTimeOverFourCenturies() {
        SplittableRandom random = new SplittableRandom(1970);
        long from = Instant.parse("1800-01-01T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2200-01-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < 200_000; i++) {
            long millis = random.nextLong(from, to);
            assertEquals(REFERENCE.format(Instant.ofEpochMilli(millis)), UtcTimestamp.format(millis), "" + millis);
        }
    }
}

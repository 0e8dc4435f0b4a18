package io.smtpwatchdog.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SizesTest {
    @Test
    void parsesOctetsAndBinarySuffixes() {
        assertEquals(1000, Sizes.parse("1000"));
        assertEquals(512 * 1024, Sizes.parse("512k"));
        assertEquals(10L * 1024 * 1024, Sizes.parse("10M"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "k", "-1", "1.5m", "10 m", "10g", "ten"})
    void refusesEverythingElse(String text) {
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse(text));
    }
}

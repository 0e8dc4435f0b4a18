package io.smtpwatchdog.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What {@code release-slot} checks before it touches the target. */
class ReleaseSlotTest {
    @Test
    void countsFromOneToAThousand() throws Exception {
        assertEquals(1, ReleaseSlot.count("1"));
        assertEquals(1000, ReleaseSlot.count("1000"));
        assertEquals(7, ReleaseSlot.count("007"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "-1", "abc", "", "1.5", " 2", "99999999999", "+3"})
    void anythingElseIsOneLineSayingTheRange(String text) {
        CliError e = assertThrows(CliError.class, () -> ReleaseSlot.count(text));
        assertEquals("count is how many slots to release, a number from 1 to 1000, not '" + text + "'",
                e.getMessage());
    }

    @Test
    void theArgumentsAreCheckedBeforeAnyProcessIsTouched() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream());
        assertEquals(ReleaseSlot.USAGE, assertThrows(CliError.class,
                () -> ReleaseSlot.run(new String[] {"release-slot", "1"}, out)).getMessage());
        assertEquals(ReleaseSlot.USAGE, assertThrows(CliError.class,
                () -> ReleaseSlot.run(new String[] {"release-slot", "1", "a", "2", "3"}, out)).getMessage());
        assertEquals("release-slot needs the mail domain whose slots to release, not an empty one",
                assertThrows(CliError.class, () -> ReleaseSlot.run(new String[] {"release-slot", "1", " "}, out))
                        .getMessage());
        // pid 1 would be attached to next: a bad count must stop before that.
        assertThrows(CliError.class, () -> ReleaseSlot.run(new String[] {"release-slot", "1", "a.example", "0"},
                out));
    }
}

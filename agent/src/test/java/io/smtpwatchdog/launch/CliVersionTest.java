package io.smtpwatchdog.launch;

import io.smtpwatchdog.Version;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code --version} and {@code version}: one line, exit 0. */
class CliVersionTest {
    @ParameterizedTest
    @ValueSource(strings = {"--version", "version"})
    void printsTheJarsVersion(String command) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Cli.run(new String[] {command});
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, code);
        assertEquals("smtp-watchdog " + Version.current() + System.lineSeparator(), out.toString(StandardCharsets.UTF_8));
    }
}

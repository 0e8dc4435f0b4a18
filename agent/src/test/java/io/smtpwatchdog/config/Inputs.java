package io.smtpwatchdog.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** The three inputs of {@link Options#resolve}, built up fluently by tests. */
final class Inputs {
    String argument;
    final Properties properties = new Properties();
    final Map<String, String> environment = new HashMap<>();

    Inputs argument(String argument) {
        this.argument = argument;
        return this;
    }

    /** Sets {@code smtpwatchdog.<key>}. */
    Inputs property(String key, String value) {
        properties.setProperty("smtpwatchdog." + key, value);
        return this;
    }

    /** Sets {@code SMTPWATCHDOG_<suffix>}. */
    Inputs variable(String suffix, String value) {
        environment.put("SMTPWATCHDOG_" + suffix, value);
        return this;
    }

    Settings resolve() throws OptionError {
        return Options.resolve(argument, properties, environment);
    }

    /** Resolves, expecting an error; checks the message is one line starting with our name. */
    String error() {
        OptionError error = assertThrows(OptionError.class, this::resolve);
        String message = error.getMessage();
        assertTrue(message.startsWith("smtp-watchdog: "), message);
        assertEquals(1, message.lines().count(), "one line: " + message);
        assertTrue(message.indexOf('\n') < 0 && message.indexOf('\r') < 0, message);
        return message;
    }

    /** Asserts the error message holds every fragment; returns it. */
    String errorNaming(String... fragments) {
        String message = error();
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "'" + fragment + "' missing from: " + message);
        }
        return message;
    }

    static Path file(Path directory, String name, String content) throws IOException {
        return Files.write(directory.resolve(name), content.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Upper snake case of a key, as in environment variable names. */
    static String snake(String key) {
        return key.replaceAll("([A-Z])", "_$1").toUpperCase(java.util.Locale.ROOT);
    }
}

package io.smtpwatchdog.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionsTest {
    @Test
    void relayDefaults() throws UsageException {
        Options o = Options.parse("--routes", "routes.txt");
        assertEquals(2525, o.port());
        assertEquals(Path.of("spool"), o.spool());
        assertEquals(2, o.threads());
        assertEquals(2, o.perDomainLimit());
        assertEquals(Duration.ofSeconds(60), o.retryBase());
        assertEquals(10, o.maxAttempts());
        assertEquals(10L * 1024 * 1024, o.maxMessageSize());
        assertEquals(Duration.ofSeconds(30), o.greetingTimeout());
        assertEquals(Duration.ofSeconds(10), o.statusInterval());
        assertFalse(o.fixedClient());
    }

    @Test
    void demoDefaults() throws UsageException {
        Options o = Options.parse("--demo");
        assertEquals(0, o.port());
        assertNull(o.spool());
        assertEquals(5, o.messages());
        assertEquals(Duration.ofSeconds(20), o.healAfter());
        assertEquals(Duration.ofSeconds(45), o.duration());
        assertEquals(2525, o.remotePort());
        assertEquals(Duration.ofSeconds(1), o.retryBase());
        assertEquals(Duration.ofSeconds(5), o.statusInterval());
        assertFalse(o.stallMail());
    }

    @Test
    void stallMailIsAFlagOfTheDemo() throws UsageException {
        assertTrue(Options.parse("--demo", "--stall-mail").stallMail());
        assertTrue(Options.parse("--stall-mail", "--demo", "--duration", "6s").stallMail());
        // The relay's reply bound stays what it is; the demo only says when it would end the stall.
        assertEquals(Duration.ofMinutes(5), Options.parse("--demo", "--stall-mail").replyTimeout());
    }

    @Test
    void takesValuesSeparateOrAfterAnEqualsSign() throws UsageException {
        Options o = Options.parse("--demo", "--messages=3", "--heal-after", "8s", "--duration=20s",
                "--remote-port", "0", "--fixed-client", "--greeting-timeout", "2s", "--max-message-size", "1m");
        assertEquals(3, o.messages());
        assertEquals(Duration.ofSeconds(8), o.healAfter());
        assertEquals(Duration.ofSeconds(20), o.duration());
        assertEquals(0, o.remotePort());
        assertTrue(o.fixedClient());
        assertEquals(Duration.ofSeconds(2), o.greetingTimeout());
        assertEquals(1024 * 1024, o.maxMessageSize());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--demo --duration 5x            | --duration: expected a duration like 30s, 1500ms",
            "--demo --duration               | --duration: missing value (expected a duration like 30s",
            "--demo --duration 0s            | --duration: must be more than 0",
            "--demo --bogus                  | unknown option '--bogus'",
            "--demo --bogus=1                | unknown option '--bogus'",
            "--demo stray                    | unexpected argument 'stray'",
            "--demo --port 70000             | --port: expected a whole number 0..65535, got '70000'",
            "--demo --threads 0              | --threads: expected a whole number 1..1000",
            "--demo --threads two            | --threads: expected a whole number 1..1000, got 'two'",
            "--demo --max-message-size 1g    | --max-message-size: expected a size in octets",
            "--demo --demo=yes               | --demo: takes no value",
            "--demo --routes r.txt           | --routes: not valid with --demo",
            "--messages 3 --routes r.txt     | --messages: only valid with --demo",
            "--stall-mail --routes r.txt     | --stall-mail: only valid with --demo",
            "--demo --stall-mail=yes         | --stall-mail: takes no value, got 'yes'",
            "--demo --stall-mail=            | --stall-mail: takes no value, got ''",
            "--demo --stall-after-mail       | unknown option '--stall-after-mail'",
            "--port 25                       | --routes: required without --demo",
    })
    void explainsMistakesInOneLineNamingTheOption(String args, String expected) {
        UsageException e = assertThrows(UsageException.class, () -> Options.parse(args.trim().split(" +")));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void helpNeedsNothingElse() throws UsageException {
        assertTrue(Options.parse("--help").help());
        assertTrue(Options.usage().contains("--fixed-client"));
        assertTrue(Options.usage().contains("--stall-mail"));
    }
}

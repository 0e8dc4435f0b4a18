package io.smtpwatchdog.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way options can be wrong: each is a one-line OptionError naming the key, its source and the form. */
class OptionErrorsTest {
    static final String DURATION = "expected a duration like 1500ms, 30s, 5m or 1h, at least 1ms";
    static final String MODE = "expected enforce or monitor";
    static final String LEVEL = "expected error, warn, info or debug";
    static final String COUNT = "expected a whole number from 1 to 1000000";
    static final String GRACE = "expected a duration like 1500ms, 30s, 5m or 1h, from 0ms to 1m";
    static final String REPLY = "expected a duration like 1500ms, 30s, 5m or 1h, at least 1ms, or off";
    static final String ARGUMENT_PORTS = "expected port numbers 1..65535 joined with '+', as in ports=25+2525";
    static final String OTHER_PORTS = "expected port numbers 1..65535 separated by ',' or '+', as in 25,2525";

    @TempDir
    Path dir;

    @Test
    void theBriefsExamplesWordForWord() {
        assertEquals("smtp-watchdog: bad option bannerTimeout=5x (from agent argument): unknown unit 'x'; "
                + "expected a duration like 1500ms, 30s, 5m or 1h, at least 1ms",
                new Inputs().argument("bannerTimeout=5x").error());
        assertEquals("smtp-watchdog: unknown option 'bannerTimout' (from agent argument); known options: "
                + "bannerTimeout, mode, ports, logLevel, maxDestinations, startupWait, slotGrace, captureStacks, mailTimeout, rcptTimeout, dataTimeout, dataEndTimeout, commandTimeout, delivery,"
                + " slotAcquire,"
                + " slotRelease, config",
                new Inputs().argument("bannerTimout=5m").error());
    }

    /** key, bad value, what the message must also say (besides key, value, source). */
    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("bannerTimeout", "5x", DURATION),
                Arguments.of("bannerTimeout", "300", DURATION),
                Arguments.of("bannerTimeout", "-5s", DURATION),
                Arguments.of("bannerTimeout", "1.5s", DURATION),
                Arguments.of("bannerTimeout", "0ms", DURATION),
                Arguments.of("bannerTimeout", "0h", DURATION),
                Arguments.of("bannerTimeout", "9223372036854775808ms", DURATION),
                Arguments.of("bannerTimeout", "2562047788016h", DURATION),
                Arguments.of("mode", "enforcing", MODE),
                Arguments.of("mode", "off", MODE),
                Arguments.of("logLevel", "trace", LEVEL),
                Arguments.of("logLevel", "warning", LEVEL),
                Arguments.of("maxDestinations", "many", COUNT),
                Arguments.of("maxDestinations", "0", COUNT),
                Arguments.of("maxDestinations", "-1", COUNT),
                Arguments.of("maxDestinations", "1.5", COUNT),
                Arguments.of("maxDestinations", "1000001", COUNT),
                Arguments.of("maxDestinations", "99999999999999999999999", COUNT),
                Arguments.of("slotGrace", "61s", GRACE),
                Arguments.of("slotGrace", "2h", GRACE),
                Arguments.of("slotGrace", "2", GRACE),
                Arguments.of("slotGrace", "-1s", GRACE),
                Arguments.of("slotGrace", "0.5s", GRACE),
                Arguments.of("mailTimeout", "0s", REPLY),
                Arguments.of("rcptTimeout", "5", REPLY),
                Arguments.of("dataTimeout", "of", REPLY),
                Arguments.of("dataEndTimeout", "-1m", REPLY),
                Arguments.of("commandTimeout", "1.5s", REPLY),
                Arguments.of("ports", "0", "ports"),
                Arguments.of("ports", "65536", "ports"),
                Arguments.of("ports", "99999999999", "ports"),
                Arguments.of("ports", "smtp", "ports"),
                Arguments.of("ports", "-25", "ports"),
                Arguments.of("ports", "25;2525", "ports"),
                Arguments.of("ports", "25++2525", "ports"),
                Arguments.of("ports", "+25", "ports"),
                Arguments.of("ports", "25+", "ports"),
                Arguments.of("ports", "25+587+25", "ports"));
    }

    private static String portsForm(String expected, boolean inArgument) {
        return expected.equals("ports") ? (inArgument ? ARGUMENT_PORTS : OTHER_PORTS) : expected;
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void badValueInAgentArgument(String key, String value, String expected) {
        new Inputs().argument(key + "=" + value)
                .errorNaming("bad option " + key + "=" + value + " (from agent argument)", portsForm(expected, true));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void badValueInSystemProperty(String key, String value, String expected) {
        new Inputs().property(key, value).errorNaming(
                "bad option " + key + "=" + value + " (from system property smtpwatchdog." + key + ")",
                portsForm(expected, false));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void badValueInEnvironment(String key, String value, String expected) {
        new Inputs().variable(Inputs.snake(key), value).errorNaming(
                "bad option " + key + "=" + value + " (from environment variable SMTPWATCHDOG_" + Inputs.snake(key) + ")",
                portsForm(expected, false));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void badValueInConfigFile(String key, String value, String expected) throws Exception {
        Path file = Inputs.file(dir, "bad.properties", key + "=" + value + "\n");
        new Inputs().argument("config=" + file).errorNaming(
                "bad option " + key + "=" + value + " (from config file " + file + ")", portsForm(expected, false));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "ports=0|port 0 is outside 1..65535",
        "ports=25+70000|port 70000 is outside 1..65535",
        "ports=25;2525|'25;2525' is not a port number",
        "ports=25++2525|it has an empty entry",
        "ports=25+587+25|port 25 is listed twice",
        "maxDestinations=0|at least one destination must be counted on its own",
        "maxDestinations=1000001|it is too large",
        "maxDestinations=x|it is not a whole number",
        "bannerTimeout=0s|a zero timeout would reap every connection at once",
        "bannerTimeout=30|it has no unit",
        "startupWait=61s|it is longer than 1m",
        "startupWait=5|it has no unit",
        "slotGrace=60001ms|it is longer than 1m",
        "slotGrace=2|it has no unit",
    })
    void saysWhatIsWrongBeforeWhatIsExpected(String argument, String problem) {
        String message = new Inputs().argument(argument).errorNaming("): " + problem);
        assertTrue(message.indexOf("; expected ") > message.indexOf(problem), message);
    }

    @Test
    void emptyValuesInEverySource() throws Exception {
        for (String key : new String[] {"bannerTimeout", "mode", "ports", "logLevel", "maxDestinations", "startupWait",
            "slotGrace", "captureStacks", "mailTimeout", "rcptTimeout", "dataTimeout", "dataEndTimeout",
            "commandTimeout", "delivery", "slotAcquire", "slotRelease", "config"}) {
            new Inputs().argument(key + "=").errorNaming("bad option " + key + "= (from agent argument): "
                    + "the value is empty; expected ");
            new Inputs().argument(key + "=  ").errorNaming("bad option " + key + "= (from agent argument)");
            new Inputs().property(key, " ").errorNaming("bad option " + key + "= (from system property smtpwatchdog."
                    + key + "): the value is empty");
            new Inputs().variable(Inputs.snake(key), "").errorNaming("bad option " + key
                    + "= (from environment variable SMTPWATCHDOG_" + Inputs.snake(key) + "): the value is empty");
            if (!key.equals("config")) {
                Path file = Inputs.file(dir, "empty.properties", key + "\n");
                new Inputs().argument("config=" + file).errorNaming("bad option " + key + "= (from config file " + file
                        + "): the value is empty");
            }
        }
        new Inputs().argument("config=").errorNaming("expected the path of a readable properties file");
    }

    @Test
    void unknownKeysInEverySource() throws Exception {
        new Inputs().argument("mode=monitor,Mode=monitor").errorNaming("unknown option 'Mode' (from agent argument); "
                + "known options: bannerTimeout, mode, ports, logLevel, maxDestinations, startupWait, slotGrace,"
                + " captureStacks, mailTimeout, rcptTimeout, dataTimeout, dataEndTimeout, commandTimeout, delivery, slotAcquire, slotRelease, config");
        new Inputs().property("bannerTimout", "5m").errorNaming("unknown option 'smtpwatchdog.bannerTimout' (from "
                + "system properties); known options: smtpwatchdog.bannerTimeout, smtpwatchdog.mode, smtpwatchdog.ports,"
                + " smtpwatchdog.logLevel, smtpwatchdog.maxDestinations, smtpwatchdog.startupWait,"
                + " smtpwatchdog.slotGrace, smtpwatchdog.captureStacks,"
                + " smtpwatchdog.mailTimeout, smtpwatchdog.rcptTimeout, smtpwatchdog.dataTimeout,"
                + " smtpwatchdog.dataEndTimeout, smtpwatchdog.commandTimeout, smtpwatchdog.delivery, smtpwatchdog.slotAcquire, smtpwatchdog.slotRelease,"
                + " smtpwatchdog.config");
        new Inputs().property("", "5m").errorNaming("unknown option 'smtpwatchdog.' (from system properties)");
        new Inputs().variable("BANNERTIMEOUT", "5m").errorNaming("unknown option 'SMTPWATCHDOG_BANNERTIMEOUT' (from "
                + "environment); known options: SMTPWATCHDOG_BANNER_TIMEOUT, SMTPWATCHDOG_MODE, SMTPWATCHDOG_PORTS,"
                + " SMTPWATCHDOG_LOG_LEVEL, SMTPWATCHDOG_MAX_DESTINATIONS, SMTPWATCHDOG_STARTUP_WAIT,"
                + " SMTPWATCHDOG_SLOT_GRACE, SMTPWATCHDOG_CAPTURE_STACKS,"
                + " SMTPWATCHDOG_MAIL_TIMEOUT, SMTPWATCHDOG_RCPT_TIMEOUT, SMTPWATCHDOG_DATA_TIMEOUT,"
                + " SMTPWATCHDOG_DATA_END_TIMEOUT, SMTPWATCHDOG_COMMAND_TIMEOUT, SMTPWATCHDOG_DELIVERY, SMTPWATCHDOG_SLOT_ACQUIRE, SMTPWATCHDOG_SLOT_RELEASE,"
                + " SMTPWATCHDOG_CONFIG");
        new Inputs().variable("bannerTimeout", "5m").errorNaming("unknown option 'SMTPWATCHDOG_bannerTimeout'");
        Path file = Inputs.file(dir, "typo.properties", "mode=monitor\nbannerTimout=5m\n");
        new Inputs().argument("config=" + file).errorNaming("unknown option 'bannerTimout' (from config file " + file
                + "); known options: bannerTimeout, mode, ports, logLevel, maxDestinations, startupWait, slotGrace,"
                + " captureStacks, mailTimeout, rcptTimeout, dataTimeout, dataEndTimeout, commandTimeout, delivery, slotAcquire, slotRelease");
    }

    @Test
    void duplicateKeys() throws Exception {
        new Inputs().argument("mode=monitor,ports=25,mode=enforce").errorNaming(
                "option mode is given twice (from agent argument): expected each option at most once");
        new Inputs().argument("mode=monitor, mode =monitor").errorNaming("option mode is given twice");
        Path file = Inputs.file(dir, "dup.properties", "ports=25\nmode=monitor\nports: 2525\n");
        new Inputs().argument("config=" + file).errorNaming(
                "option ports is given twice (from config file " + file + "): expected each option at most once");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mode|bad option 'mode' (from agent argument)",
        "mode=monitor,logLevel|bad option 'logLevel' (from agent argument)",
        "=monitor|bad option '=monitor' (from agent argument)",
        "ports=25,2525|bad option '2525' (from agent argument)",
        "mode=monitor,,ports=25|bad agent argument 'mode=monitor,,ports=25' (it has an empty pair",
        "mode=monitor,|bad agent argument 'mode=monitor,' (it has an empty pair",
        ",mode=monitor|bad agent argument ',mode=monitor' (it has an empty pair",
        "' , '|bad agent argument ' , ' (it has an empty pair",
    })
    void malformedAgentArguments(String argument, String start) {
        new Inputs().argument(argument).errorNaming("smtp-watchdog: " + start,
                "expected key=value pairs separated by ',' (join several ports with '+', as in ports=25+2525)");
    }

    static final String PARENTHESES = "; expected key=value pairs separated by ',', a ',' inside (...) being part of"
            + " the value, as in delivery=com.acme.mail.Relay#deliver(java.lang.String,..)@0,mode=monitor";

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "mode=monitor,config=a(b,ports=25|bad option 'config=a(b,ports=25' (from agent argument): its parentheses"
                + " do not balance, a '(' is never closed, so every ',' after it is taken as part of the value",
        "mode=monitor,config=a(b|bad option 'config=a(b' (from agent argument): its parentheses do not balance,"
                + " a '(' is never closed",
        "config=a((b),mode=monitor|bad option 'config=a((b),mode=monitor' (from agent argument): its parentheses"
                + " do not balance, a '(' is never closed",
        "mode=monitor,config=a)b,ports=25|bad option 'config=a)b' (from agent argument): its parentheses do not"
                + " balance, a ')' has no '(' before it",
        "config=a(b)),mode=monitor|bad option 'config=a(b))' (from agent argument): its parentheses do not"
                + " balance, a ')' has no '(' before it",
        "mode=monitor,)|bad option ')' (from agent argument): its parentheses do not balance, a ')' has no '('",
        "(|bad option '(' (from agent argument): its parentheses do not balance, a '(' is never closed",
        ")(|bad option ')(' (from agent argument): its parentheses do not balance, a ')' has no '('",
    })
    void unbalancedParenthesesInTheAgentArgument(String argument, String start) {
        String message = new Inputs().argument(argument).errorNaming("smtp-watchdog: " + start);
        assertTrue(message.endsWith(PARENTHESES), message);
    }

    @Test
    void anUnclosedParenthesisDoesNotHideALaterUnknownKeyAsAnotherError() {
        // The first problem found, reading left to right, is the one reported; pairs before it were fine.
        new Inputs().argument("modee=monitor,config=a(").errorNaming("unknown option 'modee'");
        new Inputs().argument("mode=bogus,config=a(").errorNaming("its parentheses do not balance");
    }

    @Test
    void unreadableConfigFiles() throws Exception {
        Path missing = dir.resolve("missing.properties");
        new Inputs().argument("config=" + missing).errorNaming("cannot read config file '" + missing
                + "' (named by agent argument): no such file; expected the path of a readable properties file");
        new Inputs().property("config", dir.toString()).errorNaming("cannot read config file '" + dir
                + "' (named by system property smtpwatchdog.config): it is a directory");
        new Inputs().variable("CONFIG", "relative/missing.properties").errorNaming(
                "cannot read config file 'relative/missing.properties' (named by environment variable "
                        + "SMTPWATCHDOG_CONFIG, resolved to " + Path.of("relative/missing.properties").toAbsolutePath(),
                "): no such file");
        Path huge = Files.write(dir.resolve("huge.properties"), new byte[64 * 1024 + 1]);
        new Inputs().argument("config=" + huge).errorNaming("cannot read config file '" + huge + "'",
                "it is larger than 65536 bytes");
        Path justRight = Inputs.file(dir, "big.properties", "mode=monitor\n" + "#".repeat(64 * 1024 - 13));
        assertEquals(65536, Files.size(justRight));
        assertEquals(Mode.MONITOR, new Inputs().argument("config=" + justRight).resolve().mode());
    }

    @Test
    void unreadableConfigFileWithoutPermission() throws Exception {
        Path secret = Inputs.file(dir, "secret.properties", "mode=monitor\n");
        if (!secret.toFile().setReadable(false) || Files.isReadable(secret)) {
            return; // running as root, or on a file system without permissions: nothing to test
        }
        new Inputs().argument("config=" + secret).errorNaming("cannot read config file '" + secret + "'",
                "Permission denied");
    }

    @Test
    void malformedConfigFiles() throws Exception {
        Path escape = Inputs.file(dir, "escape.properties", "mode=monitor\nbannerTimeout=\\u12\n");
        new Inputs().argument("config=" + escape).errorNaming("malformed config file '" + escape
                + "' (named by agent argument): Malformed \\uxxxx encoding.; expected java.util.Properties format,"
                + " one key=value per line");
        Path words = Inputs.file(dir, "words.properties", "this is not a properties file\n");
        new Inputs().argument("config=" + words).errorNaming("unknown option 'this' (from config file " + words + ")");
        Path nested = Inputs.file(dir, "nested.properties", "config=/etc/other.properties\n");
        new Inputs().argument("config=" + nested).errorNaming("option config is not allowed (from config file " + nested
                + "): a config file cannot name another; expected config in the agent argument, system property "
                + "smtpwatchdog.config or environment variable SMTPWATCHDOG_CONFIG");
        Path newline = Inputs.file(dir, "newline.properties", "mode=moni\\ntor\\r\n");
        new Inputs().argument("config=" + newline).errorNaming("bad option mode=moni?tor (from config file");
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstKey() throws Exception {
        Path file = dir.resolve("bom.properties");
        Files.write(file, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'm', 'o', 'd', 'e', '=', 'm', 'o', 'n',
            'i', 't', 'o', 'r'});
        assertEquals(Mode.MONITOR, new Inputs().argument("config=" + file).resolve().mode());
    }

    @Test
    void overriddenValuesAreCheckedToo() throws Exception {
        new Inputs().argument("mode=monitor").variable("MODE", "bogus")
                .errorNaming("bad option mode=bogus (from environment variable SMTPWATCHDOG_MODE)");
        Path file = Inputs.file(dir, "lower.properties", "mode=bogus\n");
        new Inputs().argument("mode=monitor,config=" + file).errorNaming("bad option mode=bogus (from config file");
        // But only the winning config file is read: a lower-precedence one may not even exist.
        Path good = Inputs.file(dir, "good.properties", "mode=monitor\n");
        assertEquals(Mode.MONITOR, new Inputs().argument("config=" + good)
                .variable("CONFIG", dir.resolve("absent").toString()).resolve().mode());
    }

    @Test
    void theFirstProblemInPrecedenceOrderIsReported() {
        Inputs inputs = new Inputs().argument("mode=bad1").property("mode", "bad2").variable("MODE", "bad3");
        inputs.errorNaming("mode=bad1");
        inputs.argument(null).errorNaming("mode=bad2");
        inputs.properties.clear();
        inputs.errorNaming("mode=bad3");
    }

    @Test
    void deterministicWhateverTheMapOrder() {
        for (int i = 0; i < 20; i++) {
            Inputs inputs = new Inputs();
            for (String name : Set.of("zeta", "alpha", "mid", "beta")) {
                inputs.property(name, "x");
                inputs.variable(name.toUpperCase(), "x");
            }
            assertTrue(inputs.error().contains("'smtpwatchdog.alpha'"));
            inputs.properties.clear();
            assertTrue(inputs.error().contains("'SMTPWATCHDOG_ALPHA'"));
        }
    }

    @Test
    void controlCharactersAndHugeValuesStayOnOneShortLine() {
        String message = new Inputs().property("mode", "a\u0000b\u2028c\u0085d" + "x".repeat(10_000)).error();
        assertTrue(message.contains("mode=a?b?c?d"), message);
        assertTrue(message.length() < 400, message);
        new Inputs().variable("MODE\nX", "1").errorNaming("unknown option 'SMTPWATCHDOG_MODE?X'");
    }

    @Test
    void aConfigPathWithALineBreakStillGivesOneLine() throws Exception {
        Path file = Inputs.file(dir, "line\nbreak.properties", "mode=bogus\n");
        new Inputs().variable("CONFIG", file.toString())
                .errorNaming("bad option mode=bogus (from config file " + dir + "/line?break.properties)");
        new Inputs().variable("CONFIG", file + "\r\n.missing").errorNaming("cannot read config file '");
    }

    @Test
    void aBrokenPropertiesObjectBecomesAnOptionError() {
        Properties broken = new Properties() {
            @Override
            public Set<String> stringPropertyNames() {
                throw new IllegalStateException("host bug");
            }
        };
        String message = assertThrowsOptionError(() -> Options.resolve(null, broken, null));
        assertEquals("smtp-watchdog: could not read options: java.lang.IllegalStateException: host bug", message);
    }

    @Test
    void randomArgumentsGiveSettingsOrOneLineOptionErrorsOnly() {
        SplittableRandom random = new SplittableRandom(25);
        String[] pieces = {"=", ",", "+", ";", " ", "\n", "mode", "ports", "bannerTimeout", "logLevel",
            "maxDestinations", "config", "monitor", "25", "0", "5m", "ms", "-", ".", "x", "\u00e9", "\\u00"};
        int settings = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder argument = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                argument.append(pieces[random.nextInt(pieces.length)]);
            }
            try {
                Options.resolve(argument.toString(), null, null);
                settings++;
            } catch (OptionError e) {
                assertTrue(e.getMessage().startsWith("smtp-watchdog: ") && e.getMessage().lines().count() == 1,
                        e.getMessage());
                assertTrue(!e.getMessage().contains("could not read options"), e.getMessage());
            }
        }
        assertTrue(settings > 0, "some random arguments should be valid");
    }

    private static String assertThrowsOptionError(org.junit.jupiter.api.function.Executable call) {
        return org.junit.jupiter.api.Assertions.assertThrows(OptionError.class, call).getMessage();
    }
}

package io.smtpwatchdog.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every key from every source, and the precedence between sources. */
class OptionsTest {
    @TempDir
    Path dir;

    /** key, value as written (agent-argument form), how to read it back, the value expected. */
    static Stream<Arguments> everyKey() {
        return Stream.of(
                Arguments.of("bannerTimeout", "30s", (Function<Settings, Object>) Settings::bannerTimeoutMillis, 30_000L),
                Arguments.of("bannerTimeout", "1500MS", (Function<Settings, Object>) Settings::bannerTimeoutMillis, 1500L),
                Arguments.of("mode", "monitor", (Function<Settings, Object>) Settings::mode, Mode.MONITOR),
                Arguments.of("mode", "MONITOR", (Function<Settings, Object>) Settings::mode, Mode.MONITOR),
                Arguments.of("mode", "Enforce", (Function<Settings, Object>) Settings::mode, Mode.ENFORCE),
                Arguments.of("ports", "2525", (Function<Settings, Object>) s -> s.ports()[0], 2525),
                Arguments.of("ports", "587+25", (Function<Settings, Object>) s -> s.ports()[1], 25),
                Arguments.of("logLevel", "DEBUG", (Function<Settings, Object>) Settings::logLevel, "debug"),
                Arguments.of("logLevel", "warn", (Function<Settings, Object>) Settings::logLevel, "warn"),
                Arguments.of("logLevel", "Error", (Function<Settings, Object>) Settings::logLevel, "error"),
                Arguments.of("maxDestinations", "7", (Function<Settings, Object>) Settings::maxDestinations, 7),
                Arguments.of("maxDestinations", "1000000", (Function<Settings, Object>) Settings::maxDestinations, 1_000_000),
                Arguments.of("startupWait", "0ms", (Function<Settings, Object>) Settings::startupWaitMillis, 0L),
                Arguments.of("captureStacks", "true", (Function<Settings, Object>) Settings::captureStacks, true),
                Arguments.of("captureStacks", "FALSE", (Function<Settings, Object>) Settings::captureStacks, false),
                Arguments.of("startupWait", "1m", (Function<Settings, Object>) Settings::startupWaitMillis, 60_000L),
                Arguments.of("startupWait", "2500ms", (Function<Settings, Object>) Settings::startupWaitMillis, 2500L),
                Arguments.of("slotGrace", "0ms", (Function<Settings, Object>) Settings::slotGraceMillis, 0L),
                Arguments.of("slotGrace", "1M", (Function<Settings, Object>) Settings::slotGraceMillis, 60_000L),
                Arguments.of("slotGrace", "60000ms", (Function<Settings, Object>) Settings::slotGraceMillis, 60_000L),
                Arguments.of("slotGrace", "750ms", (Function<Settings, Object>) Settings::slotGraceMillis, 750L));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("everyKey")
    void fromAgentArgument(String key, String value, Function<Settings, Object> read, Object expected) throws Exception {
        Settings settings = new Inputs().argument(key + "=" + value).resolve();
        assertEquals(expected, read.apply(settings));
        assertEquals("agent argument", settings.sourceOf(key));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("everyKey")
    void fromSystemProperty(String key, String value, Function<Settings, Object> read, Object expected) throws Exception {
        Settings settings = new Inputs().property(key, value).resolve();
        assertEquals(expected, read.apply(settings));
        assertEquals("system property smtpwatchdog." + key, settings.sourceOf(key));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("everyKey")
    void fromEnvironment(String key, String value, Function<Settings, Object> read, Object expected) throws Exception {
        Settings settings = new Inputs().variable(Inputs.snake(key), value).resolve();
        assertEquals(expected, read.apply(settings));
        assertEquals("environment variable SMTPWATCHDOG_" + Inputs.snake(key), settings.sourceOf(key));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("everyKey")
    void fromConfigFile(String key, String value, Function<Settings, Object> read, Object expected) throws Exception {
        Path file = Inputs.file(dir, "watchdog.properties", "# comment\n" + key + " = " + value + "\n");
        Settings settings = new Inputs().argument("config=" + file).resolve();
        assertEquals(expected, read.apply(settings));
        assertEquals("config file " + file, settings.sourceOf(key));
    }

    @Test
    void environmentVariableNamesAreUpperSnakeCase() throws Exception {
        Settings settings = new Inputs().variable("BANNER_TIMEOUT", "1m").variable("MODE", "monitor")
                .variable("PORTS", "25").variable("LOG_LEVEL", "warn").variable("MAX_DESTINATIONS", "9")
                .variable("STARTUP_WAIT", "1s").variable("SLOT_GRACE", "3s").resolve();
        assertEquals("bannerTimeout=1m,mode=monitor,ports=25,logLevel=warn,maxDestinations=9,startupWait=1s,slotGrace=3s,mailTimeout=5m,rcptTimeout=5m,dataTimeout=2m,dataEndTimeout=10m,commandTimeout=5m",
                settings.describe());
    }

    @Test
    void configItselfFromArgumentPropertyOrEnvironment() throws Exception {
        Path file = Inputs.file(dir, "c.properties", "maxDestinations=5\n");
        for (Inputs inputs : new Inputs[] {
            new Inputs().argument("config=" + file),
            new Inputs().property("config", file.toString()),
            new Inputs().variable("CONFIG", file.toString()),
        }) {
            Settings settings = inputs.resolve();
            assertEquals(5, settings.maxDestinations());
            assertEquals(file.toString(), settings.configFile());
        }
        assertEquals("system property smtpwatchdog.config",
                new Inputs().property("config", file.toString()).resolve().sourceOf("config"));
        assertEquals("environment variable SMTPWATCHDOG_CONFIG",
                new Inputs().variable("CONFIG", file.toString()).resolve().sourceOf("config"));
    }

    @Test
    void portsOutsideTheAgentArgumentMayUseCommasPlusesAndSpaces() throws Exception {
        Path file = Inputs.file(dir, "p.properties", "ports=25, 2525 + 587\n");
        int[] expected = {25, 2525, 587};
        assertArrayEquals(expected, new Inputs().property("ports", "25,2525+587").resolve().ports());
        assertArrayEquals(expected, new Inputs().variable("PORTS", " 25 ,2525,587 ").resolve().ports());
        assertArrayEquals(expected, new Inputs().argument("config=" + file).resolve().ports());
        assertArrayEquals(expected, new Inputs().argument(" ports = 25 + 2525+587 ").resolve().ports());
    }

    @Test
    void severalPairsInTheAgentArgument() throws Exception {
        Settings settings = new Inputs()
                .argument("bannerTimeout=90s, mode=monitor,ports=25+2525,logLevel=debug,maxDestinations=50,startupWait=5s,"
                        + "slotGrace=1500ms,mailTimeout=5m,rcptTimeout=5m,dataTimeout=2m,dataEndTimeout=10m,commandTimeout=5m").resolve();
        assertEquals("bannerTimeout=90s,mode=monitor,ports=25+2525,logLevel=debug,maxDestinations=50,startupWait=5s,"
                + "slotGrace=1500ms,mailTimeout=5m,rcptTimeout=5m,dataTimeout=2m,dataEndTimeout=10m,commandTimeout=5m",
                settings.describe());
    }

    @Test
    void commasInsideParenthesesDoNotSeparatePairs(@TempDir Path odd) throws Exception {
        Path folder = java.nio.file.Files.createDirectories(odd.resolve("spool (old, keep)"));
        Path file = Inputs.file(folder, "w(1,2).properties", "maxDestinations=7\n");
        Settings settings = new Inputs().argument("mode=monitor, config=" + file + " ,ports=2525").resolve();
        assertEquals(file.toString(), settings.configFile());
        assertEquals(Mode.MONITOR, settings.mode());
        assertArrayEquals(new int[] {2525}, settings.ports());
        assertEquals(7, settings.maxDestinations());
        // Only parentheses group: other brackets are plain characters, and a ',' outside them still separates.
        new Inputs().argument("mode=monitor,config=[a,b]").errorNaming("bad option 'b]' (from agent argument)");
    }

    @Test
    void valuesMayContainEqualsSigns(@TempDir Path odd) throws Exception {
        Path file = Inputs.file(odd, "a=b.properties", "mode=monitor\n");
        assertEquals(Mode.MONITOR, new Inputs().argument("config=" + file).resolve().mode());
    }

    @Test
    void nullAndBlankInputsGiveTheDefaults() throws Exception {
        String defaults = Settings.defaults().describe();
        assertEquals(defaults, Options.resolve(null, null, null).describe());
        assertEquals(defaults, Options.resolve("", null, null).describe());
        assertEquals(defaults, Options.resolve("  ", new java.util.Properties(), java.util.Map.of()).describe());
        for (String key : new String[] {"bannerTimeout", "mode", "ports", "logLevel", "maxDestinations", "startupWait",
            "slotGrace", "delivery", "slotAcquire", "slotRelease", "config"}) {
            assertEquals("default", Options.resolve(null, null, null).sourceOf(key));
        }
    }

    @Test
    void foreignPropertiesAndVariablesAreIgnored() throws Exception {
        Inputs inputs = new Inputs();
        inputs.properties.setProperty("smtpwatchdogX.mode", "bogus");
        inputs.properties.setProperty("smtpwatchdog", "bogus");
        inputs.properties.setProperty("mode", "bogus");
        inputs.properties.put("smtpwatchdog.notAString", 42); // not a string property: Properties ignores it too
        inputs.environment.put("SMTPWATCHDOG", "bogus");
        inputs.environment.put("smtpwatchdog_mode", "bogus");
        inputs.environment.put("MODE", "bogus");
        inputs.environment.put(null, "bogus");
        inputs.environment.put("SMTPWATCHDOG_MODE", null);
        assertEquals(Settings.defaults().describe(), inputs.resolve().describe());
    }

    /** Four distinct valid values per key, one for each source, highest precedence first. */
    static Stream<Arguments> precedence() {
        return Stream.of(
                Arguments.of("bannerTimeout", new String[] {"1s", "2s", "3s", "4s"}, new String[] {"1s", "2s", "3s", "4s", "5m"}),
                Arguments.of("mode", new String[] {"monitor", "enforce", "monitor", "enforce"},
                        new String[] {"monitor", "enforce", "monitor", "enforce", "enforce"}),
                Arguments.of("ports", new String[] {"1", "2", "3", "4"}, new String[] {"1", "2", "3", "4", "25+465+587+2525"}),
                Arguments.of("logLevel", new String[] {"error", "warn", "info", "debug"},
                        new String[] {"error", "warn", "info", "debug", "info"}),
                Arguments.of("maxDestinations", new String[] {"1", "2", "3", "4"}, new String[] {"1", "2", "3", "4", "1000"}),
                Arguments.of("slotGrace", new String[] {"0ms", "1s", "2500ms", "1m"},
                        new String[] {"0ms", "1s", "2500ms", "1m", "2s"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("precedence")
    void argumentThenPropertyThenEnvironmentThenFileThenDefault(String key, String[] given, String[] expected)
            throws Exception {
        Path file = Inputs.file(dir, "precedence.properties", key + "=" + given[3] + "\n");
        String[] sources = {
            "agent argument", "system property smtpwatchdog." + key, "environment variable SMTPWATCHDOG_" + Inputs.snake(key),
            "config file " + file, "default",
        };
        for (int top = 0; top <= 4; top++) {
            Inputs inputs = new Inputs().variable("CONFIG", file.toString());
            if (top <= 0) {
                inputs.argument(key + "=" + given[0]);
            }
            if (top <= 1) {
                inputs.property(key, given[1]);
            }
            if (top <= 2) {
                inputs.variable(Inputs.snake(key), given[2]);
            }
            if (top == 4) {
                Inputs.file(dir, "precedence.properties", "# nothing\n");
            }
            Settings settings = inputs.resolve();
            assertEquals(key + "=" + expected[top], part(settings.describe(), key), "top source " + sources[top]);
            assertEquals(sources[top], settings.sourceOf(key));
        }
    }

    @Test
    void configPrecedenceDecidesWhichFileIsRead() throws Exception {
        Path a = Inputs.file(dir, "a.properties", "maxDestinations=1\n");
        Path b = Inputs.file(dir, "b.properties", "maxDestinations=2\n");
        Path c = Inputs.file(dir, "c.properties", "maxDestinations=3\n");
        Inputs inputs = new Inputs().argument("config=" + a).property("config", b.toString())
                .variable("CONFIG", c.toString());
        assertEquals(1, inputs.resolve().maxDestinations());
        inputs.argument(null);
        assertEquals(2, inputs.resolve().maxDestinations());
        inputs.properties.clear();
        assertEquals(3, inputs.resolve().maxDestinations());
        inputs.environment.clear();
        assertEquals(1000, inputs.resolve().maxDestinations());
        assertNull(inputs.resolve().configFile());
    }

    @Test
    void aTurkishDefaultLocaleChangesNothing() throws Exception {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            Settings settings = new Inputs().argument("mode=MONITOR,logLevel=INFO,bannerTimeout=1H").resolve();
            assertEquals(Mode.MONITOR, settings.mode());
            assertEquals("info", settings.logLevel());
            assertEquals("bannerTimeout=1h,mode=monitor,ports=25+465+587+2525,logLevel=info,maxDestinations=1000,startupWait=0ms,"
                    + "slotGrace=2s,mailTimeout=5m,rcptTimeout=5m,dataTimeout=2m,dataEndTimeout=10m,commandTimeout=5m", settings.describe());
        } finally {
            Locale.setDefault(saved);
        }
    }

    private static String part(String describe, String key) {
        for (String part : describe.split(",")) {
            if (part.startsWith(key + "=")) {
                return part;
            }
        }
        throw new AssertionError(key + " missing from " + describe);
    }
}

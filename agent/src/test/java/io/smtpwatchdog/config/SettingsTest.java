package io.smtpwatchdog.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @Test
    void defaults() {
        Settings settings = Settings.defaults();
        assertEquals(300_000, settings.bannerTimeoutMillis());
        assertEquals(Mode.ENFORCE, settings.mode());
        assertArrayEquals(new int[] {25, 465, 587, 2525}, settings.ports());
        assertEquals("info", settings.logLevel());
        assertEquals(1000, settings.maxDestinations());
        assertEquals(0, settings.startupWaitMillis(), "stuck early sockets are rescued: nothing to wait for");
        assertEquals(2000, settings.slotGraceMillis());
        assertEquals(java.util.List.of(), settings.declarations());
        assertNull(settings.configFile());
        assertEquals("bannerTimeout=5m,mode=enforce,ports=25+465+587+2525,logLevel=info,maxDestinations=1000,startupWait=0ms,"
                + "slotGrace=2s,mailTimeout=5m,rcptTimeout=5m,dataTimeout=2m,dataEndTimeout=10m,commandTimeout=5m", settings.describe());
        assertEquals(settings.describe(), settings.toString());
    }

    @Test
    void replyTimeoutsDefaultToTheRfcMinimumsAndTakeOffOrADuration() throws Exception {
        Settings defaults = Settings.defaults();
        assertEquals(300_000, defaults.replyTimeoutMillis("mailTimeout"));
        assertEquals(300_000, defaults.replyTimeoutMillis("rcptTimeout"));
        assertEquals(120_000, defaults.replyTimeoutMillis("dataTimeout"));
        assertEquals(600_000, defaults.replyTimeoutMillis("dataEndTimeout"));
        assertEquals(300_000, defaults.replyTimeoutMillis("commandTimeout"));
        Settings s = Options.resolve("mailTimeout=2s,dataEndTimeout=OFF,commandTimeout=1500ms", null, null);
        assertEquals(2000, s.replyTimeoutMillis("mailTimeout"));
        assertEquals(0, s.replyTimeoutMillis("dataEndTimeout"), "off");
        assertEquals(1500, s.replyTimeoutMillis("commandTimeout"));
        assertEquals("agent argument", s.sourceOf("mailTimeout"));
        assertTrue(s.describe().contains(",mailTimeout=2s,rcptTimeout=5m,dataTimeout=2m,dataEndTimeout=off,"
                + "commandTimeout=1500ms"), s.describe());
        assertEquals(s.describe(), Options.resolve(s.describe(), null, null).describe(), "describe round-trips");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> s.replyTimeoutMillis("bannerTimeout"));
    }

    @Test
    void watchesOnlyTheGivenPorts() throws Exception {
        Settings settings = Options.resolve("ports=2525+25+10025", null, null);
        for (int port : new int[] {25, 2525, 10025}) {
            assertTrue(settings.watchesPort(port), "" + port);
        }
        for (int port : new int[] {0, -25, 24, 26, 465, 587, 65535, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertFalse(settings.watchesPort(port), "" + port);
        }
        assertArrayEquals(new int[] {2525, 25, 10025}, settings.ports(), "given order is kept");
        assertTrue(Settings.defaults().watchesPort(465));
    }

    @Test
    void portsCannotBeChangedFromOutside() {
        Settings settings = Settings.defaults();
        settings.ports()[0] = 80;
        assertArrayEquals(new int[] {25, 465, 587, 2525}, settings.ports());
        assertFalse(settings.watchesPort(80));
    }

    @Test
    void sourceOfEveryKeyAndOfUnknownOnes(@TempDir Path dir) throws Exception {
        Path file = Inputs.file(dir, "c.properties", "maxDestinations=3\n");
        Settings settings = new Inputs().argument("mode=monitor").property("ports", "25")
                .variable("LOG_LEVEL", "warn").variable("CONFIG", file.toString()).resolve();
        assertEquals("default", settings.sourceOf("bannerTimeout"));
        assertEquals("agent argument", settings.sourceOf("mode"));
        assertEquals("system property smtpwatchdog.ports", settings.sourceOf("ports"));
        assertEquals("environment variable SMTPWATCHDOG_LOG_LEVEL", settings.sourceOf("logLevel"));
        assertEquals("config file " + file, settings.sourceOf("maxDestinations"));
        assertEquals("environment variable SMTPWATCHDOG_CONFIG", settings.sourceOf("config"));
        assertNull(settings.sourceOf("bannertimeout"));
        assertNull(settings.sourceOf("BANNER_TIMEOUT"));
        assertNull(settings.sourceOf(null));
    }

    @Test
    void describeIsOneLineAndAValidAgentArgument(@TempDir Path dir) throws Exception {
        Path file = Inputs.file(dir, "c.properties", "ports=587, 25\n");
        Settings settings = Options.resolve("bannerTimeout=90000ms,mode=MONITOR,logLevel=Debug,config=" + file,
                null, null);
        String describe = settings.describe();
        assertEquals("bannerTimeout=90s,mode=monitor,ports=587+25,logLevel=debug,maxDestinations=1000,startupWait=0ms,"
                + "slotGrace=2s,mailTimeout=5m,rcptTimeout=5m,dataTimeout=2m,dataEndTimeout=10m,commandTimeout=5m,config=" + file,
                describe);
        Settings again = Options.resolve(describe, null, null);
        assertEquals(describe, again.describe());
        Path deep = java.nio.file.Files.createDirectories(dir.resolve("d".repeat(100)).resolve("e".repeat(100)));
        Path far = Inputs.file(deep, "far.properties", "mode=monitor\n");
        String farDescribe = Options.resolve("config=" + far, null, null).describe();
        assertTrue(farDescribe.endsWith(",config=" + far), "a long path is not cut short: " + farDescribe);
        again = Options.resolve(farDescribe, null, null);
        assertEquals(farDescribe, again.describe());
        assertEquals(Settings.defaults().describe(), Options.resolve(Settings.defaults().describe(), null, null)
                .describe());
    }
}

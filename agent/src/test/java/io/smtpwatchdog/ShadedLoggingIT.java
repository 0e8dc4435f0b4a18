package io.smtpwatchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The relocated SLF4J inside the agent jar finds the agent's own provider, silently, whatever the host does.
 * Each test loads the jar afresh, with nothing but the JDK as parent, as a host's class path would see it.
 */
class ShadedLoggingIT {
    private static final Pattern LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z smtp-watchdog INFO \\[[^\\]]*\\] hello from the shaded jar");

    @Test
    void relocatedLoggerFactoryBindsToOurProviderWithoutComplaint() throws Exception {
        String output = logThroughTheJar();
        assertFalse(output.contains("No SLF4J providers were found"), output);
        assertFalse(output.contains("SLF4J"), "SLF4J itself should have nothing to say:\n" + output);
        assertEquals(1, output.lines().count(), output);
        assertTrue(LINE.matcher(output.strip()).matches(), output);
    }

    @Test
    void aHostsSlf4jProviderPropertyDoesNotReachOurCopy() throws Exception {
        // A host choosing its SLF4J backend with -Dslf4j.provider must not make our copy try to load that class.
        String saved = System.getProperty("slf4j.provider");
        System.setProperty("slf4j.provider", "org.example.host.HostServiceProvider");
        try {
            String output = logThroughTheJar();
            assertFalse(output.contains("SLF4J"), output);
            assertTrue(LINE.matcher(output.strip()).matches(), output);
        } finally {
            if (saved == null) {
                System.clearProperty("slf4j.provider");
            } else {
                System.setProperty("slf4j.provider", saved);
            }
        }
    }

    /** Binds the jar's LoggerFactory in a fresh class loader and logs one info line; returns stdout + stderr. */
    private static String logThroughTheJar() throws Exception {
        URL jar = Path.of(System.getProperty("agent.jar")).toUri().toURL();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar}, ClassLoader.getPlatformClassLoader())) {
            PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
            System.setOut(capture);
            System.setErr(capture);
            try {
                Class<?> loggerFactory = Class.forName("io.smtpwatchdog.shaded.slf4j.LoggerFactory", true, loader);
                Object factory = loggerFactory.getMethod("getILoggerFactory").invoke(null);
                assertEquals("io.smtpwatchdog.log.WatchdogLoggerFactory", factory.getClass().getName());
                assertSame(loader, factory.getClass().getClassLoader(), "the provider comes from the jar");
                Object logger = loggerFactory.getMethod("getLogger", String.class).invoke(null, "it");
                loader.loadClass("io.smtpwatchdog.shaded.slf4j.Logger").getMethod("info", String.class)
                        .invoke(logger, "hello from the shaded jar");
            } finally {
                System.setOut(savedOut);
                System.setErr(savedErr);
            }
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}

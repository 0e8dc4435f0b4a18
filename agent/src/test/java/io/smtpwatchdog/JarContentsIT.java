package io.smtpwatchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded agent jar lands on the host's class path: everything in it must be ours or relocated under
 * {@code io/smtpwatchdog/}, or it could shadow, or be shadowed by, the host's own copy of a library.
 */
class JarContentsIT {
    static final String RELOCATED_SERVICES = "META-INF/services/io.smtpwatchdog.shaded.slf4j.spi.SLF4JServiceProvider";

    /**
     * Entries allowed outside io/smtpwatchdog/: our own LICENSE and NOTICE among them; plus Byte Buddy's
     * META-INF/licenses/ files (the ASM licence).
     */
    static final Set<String> ALLOWED = Set.of(
            "META-INF/", "META-INF/MANIFEST.MF", "META-INF/services/", RELOCATED_SERVICES, "META-INF/licenses/",
            "META-INF/LICENSE", "META-INF/NOTICE",
            "io/"); // the parent directory entry of io/smtpwatchdog/

    static JarFile jar;
    static List<String> names;

    @BeforeAll
    static void open() throws IOException {
        String path = System.getProperty("agent.jar");
        assertNotNull(path, "system property agent.jar is not set (failsafe sets it in agent/pom.xml)");
        assertTrue(Files.isRegularFile(Path.of(path)), "no agent jar at " + path);
        jar = new JarFile(path);
        names = new ArrayList<>();
        for (JarEntry entry : Collections.list(jar.entries())) {
            names.add(entry.getName());
        }
    }

    @AfterAll
    static void close() throws IOException {
        jar.close();
    }

    @Test
    void nothingOutsideOurPackageButTheAllowedMetaInfEntries() {
        List<String> offenders = new ArrayList<>();
        for (String name : names) {
            boolean ours = name.startsWith("io/smtpwatchdog/");
            boolean licence = name.startsWith("META-INF/licenses/");
            if (!ours && !licence && !ALLOWED.contains(name)) {
                offenders.add(name);
            }
        }
        assertEquals(List.of(), offenders, "entries outside io/smtpwatchdog/ and the allow-list");
    }

    @Test
    void theLicencesOfWhatWeShadeShipWithIt() {
        for (String required : List.of("META-INF/licenses/byte-buddy-LICENSE", "META-INF/licenses/byte-buddy-NOTICE",
                "META-INF/licenses/slf4j-api-LICENSE.txt", "META-INF/licenses/ASM")) {
            assertTrue(names.contains(required), required + " is missing: Apache-2.0, MIT and BSD ask for it");
        }
    }

    @Test
    void ourOwnLicenceAndNoticeShipWithIt() throws IOException {
        assertTrue(new String(read("META-INF/LICENSE"), StandardCharsets.UTF_8).contains(
                "Apache License\n                           Version 2.0, January 2004"), "Apache-2.0, in full");
        String notice = new String(read("META-INF/NOTICE"), StandardCharsets.UTF_8);
        assertTrue(notice.startsWith("SMTP Watchdog\n") && notice.contains("Byte Buddy") && notice.contains("SLF4J"),
                "our NOTICE, naming what we shade, not a shaded library's: " + notice);
    }

    @Test
    void theVersionTheToolsReportIsTheManifests() throws IOException {
        String manifest = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        assertNotNull(manifest, "the manifest names the version");
        String written = new String(read("io/smtpwatchdog/version.properties"), StandardCharsets.ISO_8859_1);
        assertTrue(written.contains("version=" + manifest + "\n"), "version.properties is filtered: " + written);
    }

    @Test
    void noUnrelocatedLibraryClasses() {
        List<String> offenders = new ArrayList<>();
        for (String name : names) {
            if (name.startsWith("net/bytebuddy") || name.startsWith("org/slf4j")) {
                offenders.add(name);
            }
        }
        assertEquals(List.of(), offenders);
        assertTrue(names.contains("io/smtpwatchdog/shaded/bytebuddy/ByteBuddy.class"), "Byte Buddy is relocated");
        assertTrue(names.contains("io/smtpwatchdog/shaded/slf4j/LoggerFactory.class"), "SLF4J is relocated");
    }

    @Test
    void noClassStillReferencesTheOriginalPackages() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (String name : names) {
            if (name.endsWith(".class")) {
                String constants = new String(read(name), StandardCharsets.ISO_8859_1);
                if (constants.contains("net/bytebuddy/") || constants.contains("org/slf4j/")) {
                    offenders.add(name);
                }
            }
        }
        assertEquals(List.of(), offenders, "classes whose constant pool still names net/bytebuddy/ or org/slf4j/");
    }

    @Test
    void everyClassRunsOnJava8() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (String name : names) {
            if (name.endsWith(".class")) {
                byte[] bytes = read(name);
                int major = ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
                if (major > 52) {
                    offenders.add(name + " (class file version " + major + ")");
                }
            }
        }
        assertEquals(List.of(), offenders, "the agent must load on a Java 8 host");
    }

    @Test
    void manifestDeclaresTheAgent() throws IOException {
        Attributes main = jar.getManifest().getMainAttributes();
        assertEquals("io.smtpwatchdog.launch.Premain", main.getValue("Premain-Class"));
        assertEquals("io.smtpwatchdog.launch.Premain", main.getValue("Agent-Class"));
        assertEquals("true", main.getValue("Can-Retransform-Classes"));
        assertTrue(names.contains("io/smtpwatchdog/launch/Premain.class"), "the Premain-Class is in the jar");
    }

    @Test
    void relocatedSlf4jServicesFileNamesOurProvider() throws IOException {
        assertTrue(names.contains(RELOCATED_SERVICES), RELOCATED_SERVICES + " is missing");
        List<String> providers = new ArrayList<>();
        for (String line : new String(read(RELOCATED_SERVICES), StandardCharsets.UTF_8).split("\n")) {
            String provider = line.replaceFirst("#.*", "").trim();
            if (!provider.isEmpty()) {
                providers.add(provider);
            }
        }
        assertEquals(List.of("io.smtpwatchdog.log.WatchdogServiceProvider"), providers);
        assertTrue(names.contains("io/smtpwatchdog/log/WatchdogServiceProvider.class"));
    }

    private static byte[] read(String name) throws IOException {
        try (InputStream in = jar.getInputStream(jar.getEntry(name))) {
            return in.readAllBytes();
        }
    }
}

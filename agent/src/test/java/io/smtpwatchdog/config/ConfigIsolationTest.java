package io.smtpwatchdog.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * premain parses options before anything else is safe to load: the config classes must reach nothing but the
 * JDK, and must stay Java 8 bytecode.
 */
class ConfigIsolationTest {

    @Test
    void configClassesReferenceNeitherByteBuddyNorSlf4j() throws Exception {
        List<Path> classes = configClasses();
        assertTrue(classes.size() >= 8, "found " + classes);
        for (Path file : classes) {
            byte[] bytes = Files.readAllBytes(file);
            String constants = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String forbidden : new String[] {"net/bytebuddy", "org/slf4j", "io/smtpwatchdog/shaded",
                "io/smtpwatchdog/log", "java/lang/invoke/LambdaMetafactory"}) {
                assertFalse(constants.contains(forbidden), file.getFileName() + " refers to " + forbidden);
            }
        }
    }

    @Test
    void configClassesAreJava8Bytecode() throws Exception {
        for (Path file : configClasses()) {
            byte[] bytes = Files.readAllBytes(file);
            int major = ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
            assertEquals(52, major, file.getFileName().toString());
        }
    }

    private static List<Path> configClasses() throws Exception {
        Path root = Path.of(Options.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.list(root.resolve("io/smtpwatchdog/config"))) {
            return files.filter(f -> f.toString().endsWith(".class")).sorted().toList();
        }
    }
}

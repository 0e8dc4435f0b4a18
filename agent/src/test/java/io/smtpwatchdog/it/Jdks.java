package io.smtpwatchdog.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JDKs child JVMs run on: the {@code test.jdks} system property (java homes, comma separated), which the build
 * sets to the running JDK plus JDK 25 where it is installed. A named JDK that is missing fails the run rather than
 * quietly testing less.
 */
public final class Jdks {
    private Jdks() {
    }

    public static List<Path> homes() {
        String spec = System.getProperty("test.jdks", System.getProperty("java.home"));
        List<Path> out = new ArrayList<>();
        for (String s : spec.split(",")) {
            if (s.isBlank()) {
                continue;
            }
            Path home = Path.of(s.trim());
            if (!Files.isExecutable(home.resolve("bin/java"))) {
                throw new IllegalStateException("test.jdks names " + home + ", which has no bin/java");
            }
            if (!out.contains(home)) {
                out.add(home);
            }
        }
        return out;
    }

    /** The feature release of the JDK at {@code home} (17, 25, ...), from its {@code release} file. */
    public static int feature(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the version of " + home, e);
        }
        throw new IllegalStateException(home + "/release has no JAVA_VERSION");
    }

    /** For {@code @MethodSource}: one argument per JDK. */
    public static Stream<Path> all() {
        return homes().stream();
    }

    /** Every combination of JDK and the given values, for {@code @MethodSource}. */
    public static Stream<org.junit.jupiter.params.provider.Arguments> times(Object... values) {
        return homes().stream().flatMap(j -> Arrays.stream(values)
                .map(v -> org.junit.jupiter.params.provider.Arguments.of(j, v)));
    }
}

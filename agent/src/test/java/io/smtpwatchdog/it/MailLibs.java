package io.smtpwatchdog.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The real mail libraries the build copied into {@code target/mail-libs}, one folder per library, named to the tests
 * by the system properties {@code mail.libs.angus}, {@code mail.libs.javax} and {@code mail.libs.commons-net}.
 */
public final class MailLibs {
    private MailLibs() {
    }

    /** The jars of {@code library}, sorted by name; fails when the folder is missing or empty. */
    public static List<Path> jars(String library) throws IOException {
        String dir = System.getProperty("mail.libs." + library);
        if (dir == null) {
            throw new IllegalStateException("system property mail.libs." + library + " is not set (run mvn verify)");
        }
        List<Path> jars;
        try (Stream<Path> s = Files.list(Path.of(dir))) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        }
        if (jars.isEmpty()) {
            throw new IllegalStateException("no jars in " + dir);
        }
        return jars;
    }

    /** The child programs plus {@code library}'s jars: the class path of a host that uses that library alone. */
    public static String classpath(String library) throws IOException {
        return ChildJvm.testClasses() + File.pathSeparator
                + jars(library).stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }
}

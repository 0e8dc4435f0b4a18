package io.smtpwatchdog;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The agent's version, the Maven project version the jar was built from: printed by {@code --version}, named in the
 * startup log line, {@code status}'s header and the Watchdog MBean, so an operator can tell which build runs where.
 *
 * <p>Read from {@code io/smtpwatchdog/version.properties}, which the build writes, rather than from the manifest: a
 * resource next to this class is found the same way under {@code -javaagent}, {@code java -jar}, an attach and the
 * unit tests' class directory. Never throws: a jar without it says {@value #UNKNOWN}.
 */
public final class Version {
    /** What the version is when the jar does not say. */
    public static final String UNKNOWN = "unknown";

    private static final String CURRENT = read(Version.class.getResourceAsStream("version.properties"));

    private Version() {
    }

    /** This jar's version, or {@value #UNKNOWN}. */
    public static String current() {
        return CURRENT;
    }

    /** The {@code version} in {@code in} (closed here), or {@value #UNKNOWN} if there is none or it is unfiltered. */
    static String read(InputStream in) {
        if (in == null) {
            return UNKNOWN;
        }
        try {
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").trim();
            // An unfiltered "${project.version}" is a build mistake, not a version.
            return v.isEmpty() || v.contains("${") ? UNKNOWN : v;
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        } finally {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing was lost: the version is read or unknown
            }
        }
    }
}

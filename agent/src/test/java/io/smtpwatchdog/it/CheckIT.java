package io.smtpwatchdog.it;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar smtp-watchdog-agent.jar check} evaluates what the agent itself would read in the same environment:
 * the argument, the {@code -Dsmtpwatchdog.*} properties and {@code SMTPWATCHDOG_*} variables of the JVM it runs in,
 * and the config file; and says where each value came from. (It used to read the argument alone, so an environment
 * that leaves the real agent inactive passed the check.)
 */
class CheckIT {
    @TempDir
    Path dir;

    /** Runs {@code check} with {@code jvm} flags and {@code env} added to the environment; exit code, stdout, stderr. */
    private static String[] check(Path jdk, List<String> jvm, Map<String, String> env, String options)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.resolve("bin/java").toString()));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", ChildJvm.agentJar().toString(), "check", options));
        ProcessBuilder b = new ProcessBuilder(cmd);
        b.environment().keySet().removeIf(k -> k.startsWith("SMTPWATCHDOG_"));
        b.environment().putAll(env);
        Process p = b.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "check returns");
        return new String[] {String.valueOf(p.exitValue()), new String(out, StandardCharsets.UTF_8),
            new String(err, StandardCharsets.UTF_8)};
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void aBadValueInTheEnvironmentFailsTheCheckAsItWouldFailTheAgent(Path jdk) throws Exception {
        String[] r = check(jdk, List.of(), Map.of("SMTPWATCHDOG_BANNER_TIMEOUT", "5x"), "mode=monitor");
        assertEquals("2", r[0], r[1] + r[2]);
        assertEquals("smtp-watchdog: bad option bannerTimeout=5x (from environment variable "
                + "SMTPWATCHDOG_BANNER_TIMEOUT): unknown unit 'x'; expected a duration like 1500ms, 30s, 5m or 1h, at "
                + "least 1ms", r[2].strip());
        assertEquals("", r[1]);
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void everyValueIsListedWithTheSourceItCameFrom(Path jdk) throws Exception {
        Path config = Files.writeString(dir.resolve("watchdog.properties"), "rcptTimeout=1m\nmode=enforce\n");
        String[] r = check(jdk, List.of("-Dsmtpwatchdog.mode=monitor"), Map.of("SMTPWATCHDOG_MAIL_TIMEOUT", "30s"),
                "bannerTimeout=2m,config=" + config);
        assertEquals("0", r[0], r[2]);
        List<String> lines = r[1].lines().toList();
        assertTrue(lines.get(0).startsWith("ok: bannerTimeout=2m,mode=monitor,"), lines.get(0));
        assertTrue(lines.contains("  bannerTimeout=2m  (agent argument)"), r[1]);
        assertTrue(lines.contains("  mode=monitor  (system property smtpwatchdog.mode)"), "over the file's: " + r[1]);
        assertTrue(lines.contains("  mailTimeout=30s  (environment variable SMTPWATCHDOG_MAIL_TIMEOUT)"), r[1]);
        assertTrue(lines.contains("  rcptTimeout=1m  (config file " + config + ")"), r[1]);
        assertTrue(lines.contains("  ports=25+465+587+2525  (default)"), r[1]);
        assertTrue(lines.contains("  delivery=none  (default)"), r[1]);
        assertEquals(1 + 17, lines.size(), "the summary, then every option once: " + r[1]);
    }
}

package io.smtpwatchdog.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The alerting rules the project ships (src/prometheus/smtp-watchdog-alerts.yaml) load in Prometheus and pass their
 * unit tests (smtp-watchdog-alerts.test.yaml), with Prometheus' own {@code promtool}. A missing promtool fails the
 * build rather than skipping it: untested alert rules reach the pager silently. {@code -Dpromtool.skip=true} opts out.
 */
class PrometheusRulesIT {
    /** Debian's (and Ubuntu's) package that ships promtool; .ci/run installs it. */
    private static final String PACKAGE = "prometheus";

    private static Path alerts() {
        String p = System.getProperty("prometheus.alerts");
        assertTrue(p != null, "system property prometheus.alerts is not set (run through mvn verify)");
        Path path = Path.of(p).toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(path), "prometheus.alerts names " + path + ", which is not there");
        return path;
    }

    private static String promtool() {
        return System.getProperty("promtool", "promtool");
    }

    /** Runs promtool in {@code dir}; returns its exit code and output, or fails naming the package when it is not installed. */
    private static Result run(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(promtool());
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            throw new AssertionError("promtool is not installed (" + notInstalled.getMessage() + "): install it with"
                    + " `apt-get install -y " + PACKAGE + "` (Debian/Ubuntu package " + PACKAGE + " ships"
                    + " /usr/bin/promtool), point -Dpromtool=/path/to/promtool at one, or skip these checks with"
                    + " -Dpromtool.skip=true");
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not end: " + command);
        System.out.println("[test] " + String.join(" ", command) + "\n" + out);
        return new Result(p.exitValue(), out);
    }

    private record Result(int exit, String out) {
    }

    @Test
    void theAlertRulesLoadAndPassTheirUnitTests() throws Exception {
        assumeFalse(Boolean.getBoolean("promtool.skip"), "promtool.skip=true: the alert rules are not checked");
        Path alerts = alerts();
        Path dir = alerts.getParent();
        // The tests file names the rules file relative to itself: run where both are.
        Result check = run(dir, "check", "rules", alerts.getFileName().toString());
        assertEquals(0, check.exit(), "promtool check rules failed:\n" + check.out());
        assertTrue(check.out().contains("SUCCESS"), check.out());

        Result test = run(dir, "test", "rules", "smtp-watchdog-alerts.test.yaml");
        assertEquals(0, test.exit(), "promtool test rules failed:\n" + test.out());
        assertTrue(test.out().contains("SUCCESS") && !test.out().contains("FAILED"), test.out());
    }
}

package io.smtpwatchdog.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent jar's command line ({@code status}, {@code attach}), run as an operator would, for the demo's tests. */
final class AgentCli {
    private AgentCli() {
    }

    /** Runs {@code java -jar <agent.jar> args...}; returns its exit code, stdout and stderr. */
    static String[] run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("agent.jar")));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the CLI did not end");
        return new String[] {String.valueOf(p.exitValue()), out, err};
    }
}

package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.HostApp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * R5, configuration: config files that cannot be used and empty option values, with the real jar in a real host.
 * Each is one printable line naming the problem, the agent stays inactive, and the host runs to its end. (The
 * parsing itself is unit-tested in OptionErrorsTest; this is what an operator sees at startup.)
 */
class BadConfigIT {
    private static final Duration CHILD = Duration.ofSeconds(60);
    /**
     * The rows, named as in the R5 row of docs/evidence.md ("Reliability"); each is turned into a child's options by
     * {@link #start}.
     */
    private static final String[] ROWS = {"config-directory", "config-unreadable", "config-garbage",
        "config-malformed-escape", "config-too-large", "empty-agent-value", "empty-property-value",
        "empty-config-value"};

    static Stream<Arguments> rows() {
        return Jdks.times((Object[]) ROWS);
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("rows")
    void aBadConfigurationIsOnePrintableLineAndTheHostRuns(Path jdk, String row) throws Exception {
        Path dir = Files.createTempDirectory("bad-config");
        String expected;
        ChildJvm.Builder jvm = ChildJvm.on(jdk);
        switch (row) {
            case "config-directory" -> {
                jvm.agent("config=" + dir);
                expected = "cannot read config file '" + dir + "' (named by agent argument): it is a directory";
            }
            case "config-unreadable" -> {
                // Permissions do not stop root, who runs the tests here; this file exists and fails every read.
                Path mem = Path.of("/proc/self/mem");
                Assumptions.assumeTrue(Files.exists(mem), "no /proc/self/mem (not Linux): the unreadable row did not run");
                jvm.agent("config=" + mem);
                expected = "cannot read config file '/proc/self/mem' (named by agent argument): ";
            }
            case "config-garbage" -> {
                Path f = Files.write(dir.resolve("garbage.properties"),
                        new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, 0x1b, '[', '3', '1', 'm', '\n', 0x7f, '\n'});
                jvm.agent("config=" + f);
                expected = "unknown option '";
            }
            case "config-malformed-escape" -> {
                Path f = Files.writeString(dir.resolve("escape.properties"), "bannerTimeout=\\u00zz\n");
                jvm.agent("config=" + f);
                expected = "malformed config file '" + f + "'";
            }
            case "config-too-large" -> {
                Path f = Files.writeString(dir.resolve("huge.properties"), "# padding\n".repeat(7000));
                jvm.agent("config=" + f);
                expected = "it is larger than 65536 bytes";
            }
            case "empty-agent-value" -> {
                jvm.agent("bannerTimeout=");
                expected = "bad option bannerTimeout= (from agent argument): the value is empty";
            }
            case "empty-property-value" -> {
                jvm.agent("bannerTimeout=5s").jvm("-Dsmtpwatchdog.mode=");
                expected = "bad option mode= (from system property smtpwatchdog.mode): the value is empty";
            }
            case "empty-config-value" -> {
                jvm.agent("config=");
                expected = "bad option config= (from agent argument): the value is empty";
            }
            default -> throw new AssertionError(row);
        }
        try (ChildJvm c = jvm.run(HostApp.class, "0")) {
            c.awaitOut("^HOST RAN$", CHILD);
            assertEquals(0, c.exitCode(CHILD), "the host ran to its end");
            List<String> ours = c.err().stream().filter(l -> l.contains("smtp-watchdog")).toList();
            assertEquals(1, ours.size(), "exactly one line from the agent: " + c.err());
            String line = ours.get(0);
            assertTrue(line.contains(expected), "the line says " + expected + ": " + line);
            assertTrue(line.contains("inactive"), "and that the agent stays inactive: " + line);
            assertTrue(line.chars().noneMatch(Character::isISOControl), "printable, one line: " + line);
            assertEquals(0, c.countErr(l -> l.startsWith("\tat ")), "no stack trace: " + c.err());
        }
    }
}

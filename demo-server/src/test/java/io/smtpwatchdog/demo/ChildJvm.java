package io.smtpwatchdog.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged demo-server jar running in a JVM of its own, as an operator would run it. Standard output is
 * collected line by line so tests can wait for a line; standard error goes to a file under target/ for
 * post-mortems.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Path stderr;
    private boolean ended;

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread reader = new Thread(this::collect, "child-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java -jar demo-server.jar args...}; {@code name} names the stderr log file. */
    public static ChildJvm start(String name, String... args) throws IOException {
        return start(name, List.of(), args);
    }

    /** Starts {@code java jvmArgs... -jar demo-server.jar args...}, for example with {@code -javaagent}. */
    public static ChildJvm start(String name, List<String> jvmArgs, String... args) throws IOException {
        return start(Path.of(System.getProperty("java.home")), name, jvmArgs, args);
    }

    /** The same with the JDK at {@code javaHome}. */
    public static ChildJvm start(Path javaHome, String name, List<String> jvmArgs, String... args) throws IOException {
        String jar = System.getProperty("demo.jar");
        assertNotNull(jar, "system property demo.jar must point at the packaged jar (run with mvn verify)");
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.add("-Xmx128m");
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar);
        command.addAll(List.of(args));
        Path logs = Path.of(jar).getParent().resolve("it-logs");
        Files.createDirectories(logs);
        Path stderr = logs.resolve(name + ".stderr.log");
        Process process = new ProcessBuilder(command)
                .redirectError(stderr.toFile())
                .start();
        return new ChildJvm(process, stderr);
    }

    private void collect() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // The process went away; the lines so far are what there is.
        } finally {
            synchronized (lines) {
                ended = true;
                lines.notifyAll();
            }
        }
    }

    /** The child's process id, for the agent's CLI. */
    public long pid() {
        return process.pid();
    }

    /** Standard output so far. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Waits for a line of standard output starting with {@code prefix} and returns it. */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended) {
                    fail("no line starting with '" + prefix + "' within " + timeout.toSeconds() + "s; stdout: "
                            + lines + "; stderr: " + stderrTail());
                }
                lines.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Waits for the process to exit, and for its last output to be read; returns the exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("the demo-server did not exit within " + timeout.toSeconds() + "s; stdout: " + lines()
                    + "; stderr: " + stderrTail());
        }
        synchronized (lines) {
            while (!ended && deadline - System.nanoTime() > 0) {
                lines.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        }
        return process.exitValue();
    }

    /** SIGTERM: shutdown hooks run, as when an operator stops the relay. */
    public void terminate() {
        // Not Process.destroy(): that also closes our end of the child's stdout, losing what the hooks print.
        process.toHandle().destroy();
    }

    /** SIGKILL: no shutdown hooks, no flushing, the way a crash or an OOM killer ends a process. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Standard error, whole. */
    public String stderr() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<cannot read " + stderr + ": " + e + ">";
        }
    }

    private String stderrTail() {
        String all = stderr();
        return all.length() > 3000 ? "..." + all.substring(all.length() - 3000) : all;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}

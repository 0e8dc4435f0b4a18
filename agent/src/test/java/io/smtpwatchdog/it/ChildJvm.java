package io.smtpwatchdog.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM started with the real agent jar, whose output lines the test can wait for and read.
 * Every line is echoed to the test's own output with a prefix, so a failure shows what the child said.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private final String label;
    private final Thread outPump;
    private final Thread errPump;

    private ChildJvm(Process process, String label) {
        this.process = process;
        this.label = label;
        this.outPump = pump(process.getInputStream(), out, "out");
        this.errPump = pump(process.getErrorStream(), err, "err");
    }

    public static Path agentJar() {
        String p = System.getProperty("agent.jar");
        if (p == null) {
            throw new IllegalStateException("system property agent.jar is not set (run through mvn verify)");
        }
        return Path.of(p);
    }

    public static Path testClasses() {
        try {
            return Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builds a child command line; {@code agentArgs} null means no agent at all. */
    public static Builder on(Path javaHome) {
        return new Builder(javaHome);
    }

    public static final class Builder {
        private final Path javaHome;
        private final List<String> jvmArgs = new ArrayList<>();
        private String agentArgs;
        private boolean agent = true;
        private String classpath = testClasses().toString();

        private Builder(Path javaHome) {
            this.javaHome = javaHome;
        }

        public Builder agent(String args) {
            this.agent = true;
            this.agentArgs = args;
            return this;
        }

        public Builder noAgent() {
            this.agent = false;
            return this;
        }

        public Builder jvm(String... args) {
            jvmArgs.addAll(List.of(args));
            return this;
        }

        public Builder classpath(String cp) {
            this.classpath = cp;
            return this;
        }

        public ChildJvm run(Class<?> main, String... args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(javaHome.resolve("bin/java").toString());
            cmd.add("-Xmx256m");
            cmd.add("-Xshare:auto");
            cmd.addAll(jvmArgs);
            if (agent) {
                cmd.add("-javaagent:" + agentJar() + (agentArgs == null ? "" : "=" + agentArgs));
            }
            cmd.add("-cp");
            cmd.add(classpath);
            cmd.add(main.getName());
            cmd.addAll(List.of(args));
            System.out.println("[child] " + String.join(" ", cmd));
            return new ChildJvm(new ProcessBuilder(cmd).start(), javaHome.getFileName() + "/" + main.getSimpleName());
        }
    }

    private Thread pump(InputStream in, List<String> sink, String stream) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    System.out.println("[" + label + " " + stream + "] " + line);
                    synchronized (this) {
                        sink.add(line);
                        notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the child is gone
            }
        }, "child-" + stream);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for a stdout line matching {@code regex}; returns its matcher. */
    public Matcher awaitOut(String regex, Duration within) throws InterruptedException {
        return await(out, regex, within);
    }

    /** Waits for a stderr line matching {@code regex}; returns its matcher. */
    public Matcher awaitErr(String regex, Duration within) throws InterruptedException {
        return await(err, regex, within);
    }

    private synchronized Matcher await(List<String> lines, String regex, Duration within)
            throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + within.toNanos();
        int seen = 0;
        while (true) {
            for (; seen < lines.size(); seen++) {
                Matcher m = p.matcher(lines.get(seen));
                if (m.find()) {
                    return m;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(label + ": no line matching /" + regex + "/ within " + within
                        + "\nstdout: " + out + "\nstderr: " + err);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Writes one line to the child's standard input, for children steered command by command. */
    public void tell(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    public synchronized List<String> out() {
        return new ArrayList<>(out);
    }

    public synchronized List<String> err() {
        return new ArrayList<>(err);
    }

    public synchronized long countErr(Predicate<String> p) {
        return err.stream().filter(p).count();
    }

    /** Waits for the child to exit and returns its exit code. */
    public int exitCode(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(label + ": still running after " + within + "\nstdout: " + out()
                    + "\nstderr: " + err());
        }
        outPump.join(5000); // the pumps end at end of stream: every line the child wrote is in
        errPump.join(5000);
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}

package io.smtpwatchdog.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What the agent in a benchmark JVM says it saw, read from its {@code smtpwatchdog:type=Watchdog} MBean and appended
 * to the file named by {@code -Dbench.report}, where {@link AgentRatio} checks it. A ratio near 1 means nothing unless
 * the agent really tracked the benchmark's sockets; this is how the runner knows it did.
 *
 * <p>Reading MBeans allocates, so it never happens inside a measured iteration: in a trial's setup (which JMH runs
 * before the first warm-up loop) or when the benchmark JVM exits.
 */
public final class AgentReport {
    private static final String WATCHDOG = "smtpwatchdog:type=Watchdog";
    /** The agent registers within a second once the platform MBeanServer exists; allow for a loaded machine. */
    private static final long WAIT_MILLIS = 15_000;

    private AgentReport() {
    }

    /**
     * Creates the platform MBeanServer at the start of a trial, with and without the agent alike, so that both JVMs
     * carry the same, and the agent registers its MBean well before the trial ends.
     */
    public static void prepare() {
        ManagementFactory.getPlatformMBeanServer();
    }

    /** Appends the counters when the JVM exits, after the last measured iteration. */
    public static void atExit(String benchmark, String... attributes) {
        Thread hook = new Thread(() -> now(benchmark, attributes), "agent-report");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Appends one line now: the benchmark's name and the agent's counters, or "agent=absent". */
    public static void now(String benchmark, String... attributes) {
        String file = System.getProperty("bench.report");
        if (file == null) {
            return;
        }
        StringBuilder line = new StringBuilder(benchmark);
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(WATCHDOG);
            if (agentLoaded()) {
                long until = System.currentTimeMillis() + WAIT_MILLIS;
                while (!server.isRegistered(name) && System.currentTimeMillis() < until) {
                    Thread.sleep(100);
                }
            }
            if (!server.isRegistered(name)) {
                line.append(" agent=absent");
            } else {
                for (String a : attributes) {
                    line.append(' ').append(a).append('=').append(server.getAttribute(name, a));
                }
            }
            Files.write(Path.of(file), (line + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | Error e) {
            try {
                Files.write(Path.of(file), (benchmark + " report-failed=" + e + "\n").getBytes(StandardCharsets.UTF_8),
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException ignored) {
                // the runner then finds no line, and says so
            }
        }
    }

    /** The agent defines its bridge in the bootstrap loader; without the agent there is none. */
    private static boolean agentLoaded() {
        try {
            Class.forName("io.smtpwatchdog.bridge.Bridge", false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}

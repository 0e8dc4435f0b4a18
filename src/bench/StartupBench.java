import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * P4: how long the agent holds up a JVM's start. Alternates runs with and without the agent in one process, so both
 * see the same machine load, and reports medians of "JVM start to main" (the child's own uptime at main) with the
 * default options and with {@code startupWait=5s}, and of "hooks live" (the agent's "active in N ms" line, measured
 * from premain), the window the startup discovery covers.
 *
 * <p>Run from the project root after {@code mvn -B -DskipTests package}:
 * {@code java src/bench/StartupBench.java [runs] [java-home]}
 */
public class StartupBench {
    /** The child: prints its uptime at main, then exits. */
    public static class Child {
        public static void main(String[] a) {
            System.out.println("UPTIME_AT_MAIN " + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String javaHome = args.length > 1 ? args[1] : System.getProperty("java.home");
        Path agent = Path.of("agent/target/smtp-watchdog-agent.jar").toAbsolutePath();
        if (!Files.exists(agent)) {
            throw new IllegalStateException("build first: mvn -B -DskipTests package (no " + agent + ")");
        }
        Path classes = Files.createTempDirectory("startup-bench");
        compileChild(javaHome, classes);
        List<Long> none = new ArrayList<>(), with = new ArrayList<>(), live = new ArrayList<>();
        List<Long> waiting = new ArrayList<>();
        run(javaHome, classes, null, 1, null, null); // warm the page cache for both
        run(javaHome, classes, agent, 1, null, null);
        for (int i = 0; i < runs; i++) {
            run(javaHome, classes, null, 1, none, null);
            run(javaHome, classes, agent, 0, with, live);
            run(javaHome, classes, agent, 1, waiting, null);
        }
        System.out.printf("java.home %s, %d runs each, alternating%n", javaHome, runs);
        System.out.printf("JVM start to main, no agent:   median %d ms (min %d, max %d)%n", median(none), min(none), max(none));
        System.out.printf("JVM start to main, with agent (default options): median %d ms (min %d, max %d)%n",
                median(with), min(with), max(with));
        System.out.printf("added by the agent (median difference): %d ms%n", median(with) - median(none));
        System.out.printf("JVM start to main, startupWait=5s (waits for the hooks): median %d ms (min %d, max %d); "
                + "added %d ms%n", median(waiting), min(waiting), max(waiting), median(waiting) - median(none));
        System.out.printf("hooks live after premain began: median %d ms (min %d, max %d)%n", median(live), min(live), max(live));
    }

    private static void compileChild(String javaHome, Path out) throws Exception {
        Path src = out.resolve("StartupBench.java");
        // With an argument the child stays up that many ms after main, so that an agent installing in the background
        // (the default) can finish and log its "active in N ms" line; the uptime at main is taken first.
        Files.writeString(src, "public class StartupBench { public static class Child { public static void main(String[] a)"
                + " throws Exception { System.out.println(\"UPTIME_AT_MAIN \""
                + " + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());"
                + " if (a.length > 0) Thread.sleep(Long.parseLong(a[0])); } } }");
        Process p = new ProcessBuilder(Path.of(javaHome, "bin", "javac").toString(), "-d", out.toString(), src.toString())
                .inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("javac failed");
        }
    }

    /** One child run; {@code wait} 0 is the default (startupWait=0ms), 1 is startupWait=5s. */
    private static void run(String javaHome, Path classes, Path agent, int wait, List<Long> uptimes, List<Long> live)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(javaHome, "bin", "java").toString()));
        if (agent != null) {
            cmd.add("-javaagent:" + agent + (wait == 1 ? "=startupWait=5s" : ""));
        }
        cmd.addAll(List.of("-cp", classes.toString(), "StartupBench$Child"));
        if (live != null) {
            cmd.add("3000"); // the hooks go live about a second after premain; the line is read as it comes
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("UPTIME_AT_MAIN ") && uptimes != null) {
                    uptimes.add(Long.parseLong(line.substring(15).trim()));
                }
                int at = line.indexOf("smtp-watchdog active in ");
                if (at >= 0 && live != null) {
                    String rest = line.substring(at + 24);
                    live.add(Long.parseLong(rest.substring(0, rest.indexOf(' '))));
                }
            }
        }
        p.waitFor();
    }

    private static long median(List<Long> l) {
        List<Long> s = new ArrayList<>(l);
        Collections.sort(s);
        return s.isEmpty() ? -1 : s.get(s.size() / 2);
    }

    private static long min(List<Long> l) {
        return l.isEmpty() ? -1 : Collections.min(l);
    }

    private static long max(List<Long> l) {
        return l.isEmpty() ? -1 : Collections.max(l);
    }
}

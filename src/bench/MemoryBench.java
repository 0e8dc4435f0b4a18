import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P6: retained heap per tracked connection.
 *
 * <p>Part 1, real sockets: a child JVM opens N (default 10,000) connections to a tarpit in another child JVM (which
 * never greets, so every one stays tracked and awaiting), alternately without and with the agent. Before and after
 * the N connects this harness takes {@code jcmd <pid> GC.class_histogram} (a full GC, then every live object by
 * class), so (after - before) / N is the heap a connection retains; the difference between the runs with and without
 * the agent is what the agent adds per connection, and the per-class differences say which objects make it up.
 *
 * <p>Part 2, the tracker's own structures at 100,000 entries: the file-descriptor limit (20,000 per process) rules
 * out 100,000 real connections, so a child puts the agent jar on its class path (not as an agent), makes the
 * tracker the hooks' receiver, and calls the very entry point the inlined connect hook calls
 * ({@code Bridge.connected}) for 100,000 unconnected {@code Socket} objects it holds itself, each with an endpoint of
 * its own (as a host that builds an {@code InetSocketAddress} per delivery). Histograms before and after the calls
 * again give the bytes per entry. The tracker exists before the first histogram, so its fixed part (the table's
 * 16,384 bucket heads, 64 KiB with compressed references) is not in that figure.
 *
 * <p>Run from the project root after {@code mvn -B -DskipTests package}:
 * {@code java src/bench/MemoryBench.java [connections] [runs] [entries] [java-home]}
 */
public class MemoryBench {
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    /** The peer: accepts and holds every connection, never greets. Prints its port. */
    public static class Tarpit {
        public static void main(String[] a) throws Exception {
            List<Socket> held = new ArrayList<>();
            try (ServerSocket s = new ServerSocket(0, 20_000, InetAddress.getLoopbackAddress())) {
                System.out.println("PORT " + s.getLocalPort());
                while (true) {
                    held.add(s.accept());
                }
            }
        }
    }

    /**
     * The host: warms up, waits; opens N connections to the tarpit and holds them, waits; each wait ends with a line
     * on stdin, so the harness can take a histogram at each point.
     */
    public static class Holder {
        public static void main(String[] a) throws Exception {
            int port = Integer.parseInt(a[0]), n = Integer.parseInt(a[1]);
            java.lang.management.ManagementFactory.getPlatformMBeanServer(); // the agent registers now, not midway
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            InetAddress loopback = InetAddress.getLoopbackAddress();
            for (int i = 0; i < 200; i++) { // load and JIT the paths, and let the agent know the destination
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(loopback, port), 10_000);
                }
            }
            Thread.sleep(2500); // the agent's cleanup and MBean registration run on their own second ticks
            System.out.println("BEFORE");
            in.readLine();
            List<Socket> held = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(loopback, port), 10_000);
                held.add(s);
            }
            Thread.sleep(2500);
            System.out.println("AFTER " + held.size());
            in.readLine();
        }
    }

    /** Drives the tracker in-process with unconnected sockets, as the connect hook would. */
    public static class TableDriver {
        public static void main(String[] a) throws Exception {
            int n = Integer.parseInt(a[0]);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            Object tracker = Class.forName("io.smtpwatchdog.track.Tracker")
                    .getConstructor(Class.forName("io.smtpwatchdog.track.Policy"), int.class)
                    .newInstance(Class.forName("io.smtpwatchdog.track.Policy")
                            .getConstructor(int[].class, long.class, boolean.class)
                            .newInstance(new int[] {25}, 3_600_000L, true), 1000);
            tracker.getClass().getMethod("activate").invoke(tracker);
            java.lang.reflect.Method connected = Class.forName("io.smtpwatchdog.bridge.Bridge")
                    .getMethod("connected", Socket.class, java.net.SocketAddress.class, Throwable.class);
            InetAddress loopback = InetAddress.getLoopbackAddress();
            Socket[] sockets = new Socket[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new Socket();
            }
            for (int i = 0; i < 100; i++) { // warm the path once, on sockets outside the measured set
                connected.invoke(null, new Socket(), new InetSocketAddress(loopback, 25), null);
            }
            System.out.println("BEFORE");
            in.readLine();
            for (Socket s : sockets) {
                connected.invoke(null, s, new InetSocketAddress(loopback, 25), null);
            }
            System.out.println("AFTER " + sockets.length);
            in.readLine();
            System.out.println("KEPT " + sockets.length + " " + tracker.hashCode()); // both stay reachable to the end
        }
    }

    /** A histogram: bytes and instances by class, and the total. */
    record Histogram(Map<String, long[]> byClass, long totalBytes) {
        static Histogram of(long pid) throws Exception {
            Process p = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.class_histogram").redirectErrorStream(true)
                    .start();
            Map<String, long[]> m = new HashMap<>();
            long total = 0;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                for (String line; (line = r.readLine()) != null; ) {
                    Matcher x = ROW.matcher(line);
                    if (x.find()) {
                        // a lambda's class name carries its address and load order: strip both, so runs compare
                        String name = x.group(3).replaceAll("/0x[0-9a-f]+$", "");
                        name = name.replaceAll("\\$\\$Lambda\\$\\d+", "\\$\\$Lambda");
                        long[] sum = m.computeIfAbsent(name, k -> new long[2]);
                        sum[0] += Long.parseLong(x.group(1));
                        sum[1] += Long.parseLong(x.group(2));
                    } else if (line.startsWith("Total")) {
                        total = Long.parseLong(line.trim().split("\\s+")[2]);
                    }
                }
            }
            if (p.waitFor() != 0 || total == 0) {
                throw new IllegalStateException("jcmd GC.class_histogram failed for " + pid);
            }
            return new Histogram(m, total);
        }

        /** Bytes and instances by class, {@code this} minus {@code before}. */
        Map<String, long[]> minus(Histogram before) {
            Map<String, long[]> d = new TreeMap<>();
            for (Map.Entry<String, long[]> e : byClass.entrySet()) {
                long[] b = before.byClass.getOrDefault(e.getKey(), new long[2]);
                d.put(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
            }
            for (Map.Entry<String, long[]> e : before.byClass.entrySet()) {
                d.putIfAbsent(e.getKey(), new long[] {-e.getValue()[0], -e.getValue()[1]});
            }
            return d;
        }
    }

    /** One measured child: the histograms at BEFORE and at AFTER. */
    record Run(Histogram before, Histogram after, int n) {
        double bytesPer() {
            return (after.totalBytes - before.totalBytes) / (double) n;
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int entries = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        String javaHome = args.length > 3 ? args[3] : System.getProperty("java.home");
        Path agent = Path.of("agent/target/smtp-watchdog-agent.jar").toAbsolutePath();
        if (!Files.exists(agent)) {
            throw new IllegalStateException("build first: mvn -B -DskipTests package (no " + agent + ")");
        }
        Path classes = Files.createTempDirectory("memory-bench");
        Process javac = new ProcessBuilder(Path.of(javaHome, "bin", "javac").toString(), "-d", classes.toString(),
                "src/bench/MemoryBench.java").inheritIO().start();
        if (javac.waitFor() != 0) {
            throw new IllegalStateException("javac failed");
        }
        String java = Path.of(javaHome, "bin", "java").toString();

        System.out.printf("java.home %s; %d connections per child, %d runs each, alternating%n", javaHome, n, runs);
        List<Run> without = new ArrayList<>(), with = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            for (boolean withAgent : new boolean[] {false, true}) {
                // a fresh tarpit per child: it never closes what it accepted, and the fd limit is per process
                Process tarpit = new ProcessBuilder(java, "-cp", classes.toString(), "MemoryBench$Tarpit").start();
                try {
                    BufferedReader tr = new BufferedReader(new InputStreamReader(tarpit.getInputStream()));
                    int port = Integer.parseInt(tr.readLine().substring(5));
                    List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx512m"));
                    if (withAgent) {
                        cmd.add("-javaagent:" + agent + "=bannerTimeout=1h,logLevel=warn,startupWait=1m,ports=" + port);
                    }
                    cmd.addAll(List.of("-cp", classes.toString(), "MemoryBench$Holder", String.valueOf(port),
                            String.valueOf(n)));
                    Run r = measure(cmd, n);
                    (withAgent ? with : without).add(r);
                    System.out.printf("run %d %-15s %7.1f bytes per connection%n", i + 1,
                            withAgent ? "with agent:" : "without agent:", r.bytesPer());
                } finally {
                    tarpit.destroy();
                    tarpit.waitFor();
                }
            }
        }
        double none = median(without), agentOn = median(with);
        System.out.printf("median per connection: without agent %.1f B, with agent %.1f B; the agent adds %.1f B%n",
                none, agentOn, agentOn - none);
        System.out.println("what the agent adds per connection, by class (median run with minus median run without):");
        printBreakdown(byMedian(with), byMedian(without), n);

        System.out.printf("%ntracker driven in-process with %d unconnected sockets (agent jar on the class path)%n",
                entries);
        Run table = measure(List.of(java, "-XX:+UseSerialGC", "-Xmx1g", "-cp", classes + File.pathSeparator
                + agent, "MemoryBench$TableDriver", String.valueOf(entries)), entries);
        System.out.printf("tracker's structures: %.1f bytes per entry (%.1f MB for %d entries)%n", table.bytesPer(),
                (table.after.totalBytes - table.before.totalBytes) / 1e6, entries);
        printBreakdown(table.after, table.before, entries);
    }

    /** Runs a child that prints BEFORE and AFTER and waits on stdin at each; a histogram at each point. */
    private static Run measure(List<String> cmd, int n) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        PrintWriter toChild = new PrintWriter(p.getOutputStream(), true);
        Histogram before = null, after = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.equals("BEFORE")) {
                    Histogram.of(p.pid()); // the first one loads jcmd's own machinery in the child; not counted
                    before = Histogram.of(p.pid());
                    toChild.println();
                } else if (line.startsWith("AFTER ")) {
                    if (Integer.parseInt(line.substring(6)) != n) {
                        throw new IllegalStateException("child: " + line);
                    }
                    after = Histogram.of(p.pid());
                    toChild.println();
                } else if (!line.startsWith("KEPT ")) {
                    System.out.println("child: " + line);
                }
            }
        }
        if (p.waitFor() != 0 || after == null) {
            throw new IllegalStateException("child failed: exit " + p.exitValue());
        }
        return new Run(before, after, n);
    }

    private static double median(List<Run> runs) {
        List<Double> v = new ArrayList<>();
        for (Run r : runs) {
            v.add(r.bytesPer());
        }
        v.sort(null);
        return v.get(v.size() / 2);
    }

    /** The run with the median bytes per connection, as one histogram of its growth. */
    private static Histogram byMedian(List<Run> runs) {
        double m = median(runs);
        for (Run r : runs) {
            if (r.bytesPer() == m) {
                Map<String, long[]> grown = r.after.minus(r.before);
                return new Histogram(grown, r.after.totalBytes - r.before.totalBytes);
            }
        }
        throw new IllegalStateException();
    }

    /** Classes whose bytes differ by at least 1 byte per connection, largest first. */
    private static void printBreakdown(Histogram a, Histogram b, int n) {
        Map<String, long[]> d = a.minus(b);
        d.entrySet().stream()
                .filter(e -> Math.abs(e.getValue()[1]) >= n)
                .sorted((x, y) -> Long.compare(Math.abs(y.getValue()[1]), Math.abs(x.getValue()[1])))
                .forEach(e -> System.out.printf("  %8.1f B  %6.2f objects  %s%n", e.getValue()[1] / (double) n,
                        e.getValue()[0] / (double) n, e.getKey()));
    }
}

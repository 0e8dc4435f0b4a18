import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * P7: 100,000 distinct destinations keep heap and MBean count bounded.
 *
 * <p>A child JVM (the relay) delivers to N distinct domains ({@code d0.example}, {@code d1.example}, ...), each
 * delivery a declared delivery method whose argument is the domain, each opening one real connection to a loopback
 * peer in another child JVM and closing it with {@code SO_LINGER 0} (a reset: no TIME_WAIT on either side, so
 * 100,000 connects do not run out of ephemeral ports). The relay creates the platform MBeanServer at start, so the agent registers its
 * MBeans at once. At each checkpoint the relay waits until the Domain MBean count stops changing (the agent registers
 * new destinations once a second), runs a full GC (serial collector: a full, compacting collection) and prints the
 * heap used, the Domain MBean count and the {@code (other)} destination's connects; this harness then counts the
 * agent's own objects there with {@code jcmd <pid> GC.class_histogram} (instances of {@code io.smtpwatchdog.*}
 * classes; the strings and map entries they hold are not in that sum, but are in the heap figure). The same relay
 * without the agent runs first, as the control for the heap figures.
 *
 * <p>Run from the project root after {@code mvn -B -DskipTests package}:
 * {@code java src/bench/DestinationsBench.java [destinations] [maxDestinations] [java-home]}
 */
public class DestinationsBench {
    /** The peer: accepts every connection and waits for the client's reset. Prints its port. */
    public static class Resetter {
        public static void main(String[] a) throws Exception {
            try (ServerSocket s = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress())) {
                System.out.println("PORT " + s.getLocalPort());
                while (true) {
                    try (Socket c = s.accept()) {
                        c.setSoLinger(true, 0);
                        c.getInputStream().read(); // resetting first can fail the client's connect: wait for its own
                    } catch (java.io.IOException reset) {
                        // the client's reset: this connection is over
                    }
                }
            }
        }
    }

    /** The relay. Arguments: peer port, destinations, whether the agent is attached. */
    public static class Relay {
        /** The declared delivery method: one connection for {@code domain}, reset at once. */
        public static void deliver(String domain, InetSocketAddress peer) throws Exception {
            Socket s = new Socket();
            try {
                s.connect(peer, 10_000);
                s.setSoLinger(true, 0);
            } finally {
                s.close();
            }
        }

        public static void main(String[] a) throws Exception {
            InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(a[0]));
            int n = Integer.parseInt(a[1]);
            boolean agent = Boolean.parseBoolean(a[2]);
            MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
            checkpoint(mbs, 0, agent);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                deliver("d" + i + ".example", peer);
                int done = i + 1;
                if (done == 1_000 || done == 10_000 || done == 50_000 || done == n) {
                    System.out.printf("DELIVERED %d in %d s%n", done, (System.nanoTime() - t0) / 1_000_000_000L);
                    checkpoint(mbs, done, agent);
                }
            }
        }

        private static void checkpoint(MBeanServer mbs, int done, boolean agent) throws Exception {
            ObjectName domains = new ObjectName("smtpwatchdog:type=Domain,*");
            int count = -1;
            if (agent) {
                ObjectName watchdog = new ObjectName("smtpwatchdog:type=Watchdog");
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (!mbs.isRegistered(watchdog) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                // the agent registers new destinations once a second: wait for three scans without a change
                int stable = 0;
                while (stable < 3 && System.nanoTime() < deadline) {
                    int now = mbs.queryNames(domains, null).size();
                    stable = now == count ? stable + 1 : 0;
                    count = now;
                    Thread.sleep(1100);
                }
            }
            long other = -1, connects = -1;
            if (agent) {
                ObjectName o = new ObjectName("smtpwatchdog:type=Domain,name=(other)");
                other = mbs.isRegistered(o) ? (Long) mbs.getAttribute(o, "ConnectsTotal") : 0;
                connects = (Long) mbs.getAttribute(new ObjectName("smtpwatchdog:type=Watchdog"), "ConnectsTotal");
            }
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf("AT %d %d %d %d %d%n", done, used, count, other, connects);
            new BufferedReader(new InputStreamReader(System.in)).readLine(); // the harness takes its histogram
        }
    }

    /** The agent's own objects in the relay: instances and bytes of io.smtpwatchdog classes, after a full GC. */
    private static String agentObjects(long pid) throws Exception {
        Process p = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.class_histogram").redirectErrorStream(true)
                .start();
        long objects = 0, bytes = 0, conns = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[3].startsWith("io.smtpwatchdog.")) {
                    objects += Long.parseLong(f[1]);
                    bytes += Long.parseLong(f[2]);
                    conns += f[3].equals("io.smtpwatchdog.track.Conn") ? Long.parseLong(f[1]) : 0;
                }
            }
        }
        p.waitFor();
        return String.format("io.smtpwatchdog.* objects %d (%.1f KB), of them Conn %d", objects, bytes / 1e3, conns);
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int max = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        String javaHome = args.length > 2 ? args[2] : System.getProperty("java.home");
        Path agent = Path.of("agent/target/smtp-watchdog-agent.jar").toAbsolutePath();
        if (!Files.exists(agent)) {
            throw new IllegalStateException("build first: mvn -B -DskipTests package (no " + agent + ")");
        }
        Path classes = Files.createTempDirectory("destinations-bench");
        Process javac = new ProcessBuilder(Path.of(javaHome, "bin", "javac").toString(), "-d", classes.toString(),
                "src/bench/DestinationsBench.java").inheritIO().start();
        if (javac.waitFor() != 0) {
            throw new IllegalStateException("javac failed");
        }
        String java = Path.of(javaHome, "bin", "java").toString();
        Process peer = new ProcessBuilder(java, "-cp", classes.toString(), "DestinationsBench$Resetter").start();
        try {
            int port = Integer.parseInt(new BufferedReader(new InputStreamReader(peer.getInputStream())).readLine()
                    .substring(5));
            System.out.printf("java.home %s; %d distinct destinations, maxDestinations=%d%n", javaHome, n, max);
            for (boolean withAgent : new boolean[] {false, true}) {
                List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx256m"));
                if (withAgent) {
                    cmd.add("-javaagent:" + agent + "=bannerTimeout=1h,logLevel=warn,startupWait=1m,maxDestinations=" + max
                            + ",delivery=DestinationsBench$Relay#deliver(java.lang.String,java.net.InetSocketAddress)@0");
                }
                cmd.addAll(List.of("-cp", classes.toString(), "DestinationsBench$Relay", String.valueOf(port),
                        String.valueOf(n), String.valueOf(withAgent)));
                System.out.println(withAgent ? "with agent:" : "without agent (control):");
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                java.io.PrintWriter toRelay = new java.io.PrintWriter(p.getOutputStream(), true);
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("AT ")) {
                            String[] f = line.split(" ");
                            System.out.printf("  %,7d destinations: heap after full GC %6.2f MB", Long.parseLong(f[1]),
                                    Long.parseLong(f[2]) / 1e6);
                            System.out.println(withAgent ? String.format("; Domain MBeans %s; (other) connects %s;"
                                    + " all connects %s; %s", f[3], f[4], f[5], agentObjects(p.pid())) : "");
                            toRelay.println();
                        } else {
                            System.out.println("  " + line);
                        }
                    }
                }
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("relay failed: exit " + p.exitValue());
                }
            }
        } finally {
            peer.destroy();
        }
    }
}

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
 * The cost of a scrape of {@code OldestAwaitingMillis}: a child JVM with the agent opens one stuck connection (to a
 * loopback tarpit in this process, which never greets) for each of N destinations, each inside a declared delivery
 * method whose argument is the destination, then reads {@code OldestAwaitingMillis} of all N Domain MBeans from its
 * platform MBeanServer, several rounds, as a Prometheus exporter would.
 *
 * <p>Run from the project root after {@code mvn -B -DskipTests package}:
 * {@code java src/bench/OldestAwaitingBench.java [destinations] [rounds] [agent-jar] [java-home]}; give the jar of
 * another build to compare before and after a change.
 */
public class OldestAwaitingBench {
    /** The child: the host with the agent. Arguments: tarpit port, destinations, rounds. */
    public static class Stuck {
        private static final List<Socket> held = new ArrayList<>();

        /** The declared delivery method: one connection for {@code domain}, held open. */
        public static void deliver(String domain, int port) throws Exception {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            held.add(s);
        }

        public static void main(String[] a) throws Exception {
            int port = Integer.parseInt(a[0]), n = Integer.parseInt(a[1]), rounds = Integer.parseInt(a[2]);
            MBeanServer mbs = ManagementFactory.getPlatformMBeanServer(); // lets the agent register at once
            for (int i = 0; i < n; i++) {
                deliver("d" + i + ".example", port);
            }
            ObjectName pattern = new ObjectName("smtpwatchdog:type=Domain,*");
            Set<ObjectName> names = mbs.queryNames(pattern, null);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (names.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(200);
                names = mbs.queryNames(pattern, null);
            }
            System.out.println("DOMAIN_MBEANS " + names.size());
            Thread.sleep(500); // every connection is at least this old
            for (int r = 0; r < rounds; r++) {
                long min = Long.MAX_VALUE;
                long t0 = System.nanoTime();
                for (ObjectName name : names) {
                    min = Math.min(min, (Long) mbs.getAttribute(name, "OldestAwaitingMillis"));
                }
                long micros = (System.nanoTime() - t0) / 1000;
                long t1 = System.nanoTime();
                for (ObjectName name : names) { // the floor: a plain counter read through the same MBeanServer
                    mbs.getAttribute(name, "AwaitingGreeting");
                }
                long floor = (System.nanoTime() - t1) / 1000;
                System.out.println("ROUND " + micros + " " + min + " " + floor);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Path agent = Path.of(args.length > 2 ? args[2] : "agent/target/smtp-watchdog-agent.jar").toAbsolutePath();
        String javaHome = args.length > 3 ? args[3] : System.getProperty("java.home");
        if (!Files.exists(agent)) {
            throw new IllegalStateException("build first: mvn -B -DskipTests package (no " + agent + ")");
        }
        Path classes = Files.createTempDirectory("oldest-bench");
        javac(javaHome, classes, Path.of("src/bench/OldestAwaitingBench.java"));
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket tarpit = new ServerSocket(0, n + 100, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(tarpit.accept()); // held, never greeted
                    }
                } catch (Exception closed) {
                    // the tarpit closed: the run is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            List<String> cmd = List.of(Path.of(javaHome, "bin", "java").toString(), "-Xmx256m",
                    "-javaagent:" + agent + "=bannerTimeout=1h,logLevel=warn,startupWait=1m,"
                            + "delivery=OldestAwaitingBench$Stuck#deliver(java.lang.String,int)@0",
                    "-cp", classes.toString(), "OldestAwaitingBench$Stuck",
                    String.valueOf(tarpit.getLocalPort()), String.valueOf(n), String.valueOf(rounds));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            List<Long> micros = new ArrayList<>(), floors = new ArrayList<>();
            long minAge = Long.MAX_VALUE;
            String mbeans = "?";
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("ROUND ")) {
                        String[] f = line.split(" ");
                        micros.add(Long.parseLong(f[1]));
                        minAge = Math.min(minAge, Long.parseLong(f[2]));
                        floors.add(Long.parseLong(f[3]));
                    } else if (line.startsWith("DOMAIN_MBEANS ")) {
                        mbeans = line.substring(14);
                    } else {
                        System.out.println("child: " + line);
                    }
                }
            }
            if (p.waitFor() != 0) {
                throw new IllegalStateException("child failed: exit " + p.exitValue());
            }
            System.out.printf("agent %s, java.home %s%n", agent.getFileName(), javaHome);
            System.out.printf("%s stuck destinations, %s Domain MBeans; smallest OldestAwaitingMillis read: %d ms%n",
                    n, mbeans, minAge);
            System.out.printf("reading OldestAwaitingMillis of every Domain MBean, per round (ms): %s%n",
                    micros.stream().map(m -> String.format("%.1f", m / 1000.0)).toList());
            System.out.printf("median %.1f ms per scrape, %.1f us per read; reading AwaitingGreeting instead (the"
                    + " MBeanServer's own cost): median %.1f ms%n", median(micros) / 1000.0, median(micros) / (double) n,
                    median(floors) / 1000.0);
        }
    }

    private static long median(List<Long> l) {
        List<Long> s = new ArrayList<>(l);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    static void javac(String javaHome, Path out, Path source) throws Exception {
        Process p = new ProcessBuilder(Path.of(javaHome, "bin", "javac").toString(), "-d", out.toString(),
                source.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("javac failed");
        }
    }
}

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * P5: reap precision with many sockets awaiting a greeting at once, and the agent's CPU while they wait.
 *
 * <p>This process is the tarpit: one NIO selector accepts every connection, never sends a byte, and notes the
 * {@link System#nanoTime()} at which each one ends (an RST when the agent reaps it). A child JVM, the host, connects
 * {@code connections} plain blocking sockets to it, one host thread blocked in a greeting read on each, as a legacy
 * relay would. {@code System.nanoTime} is {@code CLOCK_MONOTONIC} on Linux, the same clock in both processes, so each
 * connection's lateness is the tarpit's end time minus (the host's connect time + bannerTimeout). The host's own
 * view (when its blocked thread got the exception) is reported beside it.
 *
 * <p>Each round runs the host twice, with the agent and without it, in alternation so both see the same machine
 * load; both measure the host's process CPU time over the same quiet window in which every connection waits. The
 * host without the agent closes its sockets itself after the window (nothing would, otherwise).
 *
 * <p>Run from the project root after {@code mvn -B -DskipTests package}:
 * {@code java src/bench/ReapBench.java [connections] [rounds] [java-home] [host-threads]} (defaults 10000, 3, this JDK,
 * 1000). {@code host-threads} of the connections, spread evenly over the connect order, get a host thread blocked in
 * the greeting read (a relay has hundreds of delivery threads, not ten thousand; pass the connection count for one
 * thread per socket); the others wait with nobody reading, which changes nothing for the agent. Each process holds
 * one descriptor per connection, so {@code ulimit -n} must exceed {@code connections} by a few hundred.
 * {@code -DhostJvmArgs="..."} (before the file name) adds options to the host JVMs, e.g. a flight recording.
 */
public class ReapBench {
    /**
     * Deadline of every connection: long enough that all connects and host threads are set up, settle, and the CPU
     * window fits before the first deadline even on a loaded machine (setup took up to 30 s with other builds running).
     */
    static final long BANNER_TIMEOUT_MS = 60_000;
    /** At least this long between the end of setup and the CPU window: the JIT and the MBean registration settle. */
    static final long SETTLE_MS = 3_000;
    static final long WINDOW_MS = 10_000;
    static final Path SELF = Path.of("src/bench/ReapBench.java");
    /** The agent's own line per reap; how long the connection had waited when the reaper decided, in ms. */
    static final java.util.regex.Pattern REAP_LINE =
            java.util.regex.Pattern.compile("reaped SMTP connection #\\d+ .*: no greeting after (\\d+) ms");
    /** A burst's summary line: the reaps it counts rather than names (the agent names the first few of a burst). */
    static final java.util.regex.Pattern SUMMARY_LINE =
            java.util.regex.Pattern.compile("reaped (\\d+) more SMTP connections within");

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("host")) {
            Host.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String javaHome = args.length > 2 ? args[2] : System.getProperty("java.home");
        int readers = args.length > 3 ? Integer.parseInt(args[3]) : Math.min(connections, 1000);
        Path agent = Path.of("agent/target/smtp-watchdog-agent.jar").toAbsolutePath();
        if (!Files.exists(agent) || !Files.exists(SELF)) {
            throw new IllegalStateException("run from the project root after mvn -B -DskipTests package (no " + agent + ")");
        }
        List<Double> median = new ArrayList<>(), p99 = new ArrayList<>(), max = new ArrayList<>();
        List<Double> hostMax = new ArrayList<>();
        List<Double> agentMedian = new ArrayList<>(), agentP99 = new ArrayList<>(), agentMax = new ArrayList<>();
        List<Long> cpuWith = new ArrayList<>(), cpuWithout = new ArrayList<>(), reapCpu = new ArrayList<>();
        List<Long> agentWindow = new ArrayList<>(), agentReap = new ArrayList<>();
        long worstMin = Long.MAX_VALUE;
        boolean allReaped = true;
        try (Tarpit tarpit = new Tarpit()) {
            System.out.printf("java.home %s, %d connections (%d with a host thread blocked in the greeting read),"
                    + " bannerTimeout %d ms, CPU window %d ms, %d rounds%n", javaHome, connections, readers,
                    BANNER_TIMEOUT_MS, WINDOW_MS, rounds);
            for (int round = 1; round <= rounds; round++) {
                Run with = run(javaHome, agent, tarpit, connections, readers);
                Run without = run(javaHome, null, tarpit, connections, readers);
                cpuWith.add(with.windowCpuNanos);
                cpuWithout.add(without.windowCpuNanos);
                long[] late = with.tarpitLateness();
                long[] hostLate = with.hostLateness();
                boolean complete = with.reapLines == connections && late.length == connections
                        && with.exceptions == readers;
                allReaped &= complete;
                if (late.length > 0) {
                    median.add(ms(pct(late, 50)));
                    p99.add(ms(pct(late, 99)));
                    max.add(ms(late[late.length - 1]));
                    worstMin = Math.min(worstMin, late[0]);
                }
                if (hostLate.length > 0) {
                    hostMax.add(ms(hostLate[hostLate.length - 1]));
                }
                reapCpu.add(with.reapCpuNanos);
                long[] decided = with.agentLateness;
                if (decided.length > 0) {
                    agentMax.add((double) decided[decided.length - 1]);
                    agentP99.add((double) pct(decided, 99));
                    agentMedian.add((double) pct(decided, 50));
                    System.out.printf("round %d: lateness at the reaper's decision (named log lines only): median %d ms, p99 %d ms,"
                            + " max %d ms%n", round, pct(decided, 50), pct(decided, 99), decided[decided.length - 1]);
                }
                System.out.printf("round %d: worst lateness per tenth of the connections, in connect order (ms): %s%n",
                        round, with.maxByTenth());
                agentWindow.add(with.agentWindowCpuNanos);
                agentReap.add(with.agentReapCpuNanos);
                System.out.printf("round %d: connects took %d ms (without the agent %d ms), with the host threads %d ms;"
                                + " reaped %d/%d (in the agent's log, named or counted %d, RST seen by the tarpit %d, host threads with"
                                + " SocketException %d of %d); lateness at the tarpit median %.1f ms, p99 %.1f ms,"
                                + " max %.1f ms, min %.1f ms; host threads max %.1f ms%n",
                        round, with.connectMs, without.connectMs, with.setupMs, late.length, connections,
                        with.reapLines, with.resets, with.exceptions, readers,
                        late.length > 0 ? ms(pct(late, 50)) : -1.0, late.length > 0 ? ms(pct(late, 99)) : -1.0,
                        late.length > 0 ? ms(late[late.length - 1]) : -1.0, late.length > 0 ? ms(late[0]) : -1.0,
                        hostLate.length > 0 ? ms(hostLate[hostLate.length - 1]) : -1.0);
                System.out.printf("round %d: host CPU over the %d ms wait: with agent %.1f ms (its own threads %.3f ms),"
                                + " without %.1f ms; with agent, from the first deadline until all %d were reaped: %.1f ms"
                                + " (its own threads %.1f ms)%n", round, WINDOW_MS, ms(with.windowCpuNanos),
                        ms(with.agentWindowCpuNanos), ms(without.windowCpuNanos), connections, ms(with.reapCpuNanos),
                        ms(with.agentReapCpuNanos));
            }
        }
        System.out.printf("every connection reaped in every round: %s%n", allReaped ? "yes" : "NO");
        System.out.printf("lateness after own deadline, at the tarpit (median of %d rounds): median %.1f ms, p99 %.1f ms,"
                        + " max %.1f ms (worst max %.1f ms; earliest %.1f ms)%n", rounds, mid(median), mid(p99), mid(max),
                max.isEmpty() ? -1 : Collections.max(max), ms(worstMin));
        System.out.printf("lateness at the reaper's decision (median of rounds): median %.0f ms, p99 %.0f ms, max %.0f ms%n",
                mid(agentMedian), mid(agentP99), mid(agentMax));
        System.out.printf("lateness seen by the host threads (median of rounds): max %.1f ms%n", mid(hostMax));
        System.out.printf("host CPU while %d connections wait %d ms (median of rounds): with agent %.1f ms, without %.1f ms,"
                        + " added %.1f ms (%.2f%% of one core)%n", connections, WINDOW_MS, ms(midL(cpuWith)),
                ms(midL(cpuWithout)), ms(midL(cpuWith) - midL(cpuWithout)),
                100.0 * (midL(cpuWith) - midL(cpuWithout)) / TimeUnit.MILLISECONDS.toNanos(WINDOW_MS));
        System.out.printf("the agent's own threads over the wait (median): %.3f ms%n", ms(midL(agentWindow)));
        System.out.printf("host CPU from the first deadline until all were reaped (median): %.1f ms, of which the agent's"
                + " own threads %.1f ms%n", ms(midL(reapCpu)), ms(midL(agentReap)));
        System.out.printf("goal: latest reap no more than 250 ms after its deadline: %s%n",
                allReaped && !max.isEmpty() && Collections.max(max) <= 250 ? "met" : "MISSED");
    }

    /** What one host run reported, joined with what the tarpit saw of the same connections. */
    static final class Run {
        long connectMs, setupMs, windowCpuNanos, reapCpuNanos, agentWindowCpuNanos, agentReapCpuNanos;
        int reapLines, resets, exceptions;
        /** At the reaper's decision, ms past the deadline (the agent's log has millisecond resolution). */
        long[] agentLateness = new long[0];
        final List<long[]> perConnection = new ArrayList<>(); // local port, connect nanos, host end nanos, tarpit end nanos

        /** The worst lateness in each tenth of the connections, in connect order: a backlog grows, noise spikes. */
        String maxByTenth() {
            long deadline = TimeUnit.MILLISECONDS.toNanos(BANNER_TIMEOUT_MS);
            StringBuilder b = new StringBuilder();
            int size = perConnection.size();
            for (int t = 0; t < 10 && size > 0; t++) {
                long worst = Long.MIN_VALUE;
                for (long[] c : perConnection.subList(t * size / 10, (t + 1) * size / 10)) {
                    if (c[3] != 0) {
                        worst = Math.max(worst, c[3] - (c[1] + deadline));
                    }
                }
                b.append(t == 0 ? "" : " ").append(worst == Long.MIN_VALUE ? "-" : String.format("%.0f", ms(worst)));
            }
            return b.toString();
        }

        long[] tarpitLateness() {
            return sorted(3);
        }

        long[] hostLateness() {
            return sorted(2);
        }

        private long[] sorted(int column) {
            long deadline = TimeUnit.MILLISECONDS.toNanos(BANNER_TIMEOUT_MS);
            long[] l = perConnection.stream().filter(c -> c[column] != 0)
                    .mapToLong(c -> c[column] - (c[1] + deadline)).toArray();
            Arrays.sort(l);
            return l;
        }
    }

    private static Run run(String javaHome, Path agent, Tarpit tarpit, int connections, int readers) throws Exception {
        tarpit.reset();
        Path report = Files.createTempFile("reap-bench", ".txt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(javaHome, "bin", "java").toString()));
        String extra = System.getProperty("hostJvmArgs", "").trim(); // e.g. a flight recording, to see where time goes
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        if (agent != null) {
            // ports= names the tarpit's ephemeral port: only these connections are SMTP to the agent.
            cmd.add("-javaagent:" + agent + "=bannerTimeout=" + BANNER_TIMEOUT_MS + "ms,ports=" + tarpit.port());
        }
        cmd.addAll(List.of(SELF.toString(), "host", String.valueOf(tarpit.port()), String.valueOf(connections),
                String.valueOf(agent != null), report.toString(), String.valueOf(readers)));
        // The host's output goes to a file, as a server's log does: a pipe that this process drained late would
        // block the agent's log writes, and with them the reaper, and the harness would measure itself.
        Path log = Files.createTempFile("reap-bench", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Run run = new Run();
        if (!p.waitFor(BANNER_TIMEOUT_MS + 300_000, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("host did not finish; its output is in " + log);
        }
        tarpit.awaitQuiet(connections);
        List<Long> agentLate = new ArrayList<>();
        AtomicInteger reapLines = new AtomicInteger();
        for (String line : Files.readAllLines(log)) {
            java.util.regex.Matcher m = REAP_LINE.matcher(line);
            java.util.regex.Matcher summary = SUMMARY_LINE.matcher(line);
            if (m.find()) {
                reapLines.incrementAndGet();
                agentLate.add(Long.parseLong(m.group(1)) - BANNER_TIMEOUT_MS);
            } else if (summary.find()) {
                reapLines.addAndGet(Integer.parseInt(summary.group(1)));
            } else if (!line.contains("smtp-watchdog")) {
                System.out.println("  host: " + line);
            }
        }
        Files.delete(log);
        run.agentLateness = agentLate.stream().mapToLong(Long::longValue).sorted().toArray();
        run.reapLines = reapLines.get();
        run.resets = tarpit.resets.get();
        for (String line : Files.readAllLines(report)) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "CONN" -> {
                    int port = Integer.parseInt(f[1]);
                    run.perConnection.add(new long[]{port, Long.parseLong(f[2]), Long.parseLong(f[3]), tarpit.ended[port]});
                    if (f[4].equals("java.net.SocketException")) {
                        run.exceptions++;
                    }
                }
                case "CONNECT_MS" -> run.connectMs = Long.parseLong(f[1]);
                case "SETUP_MS" -> run.setupMs = Long.parseLong(f[1]);
                case "WINDOW_CPU_NS" -> run.windowCpuNanos = Long.parseLong(f[1]);
                case "REAP_CPU_NS" -> run.reapCpuNanos = Long.parseLong(f[1]);
                case "AGENT_WINDOW_CPU_NS" -> run.agentWindowCpuNanos = Long.parseLong(f[1]);
                case "AGENT_REAP_CPU_NS" -> run.agentReapCpuNanos = Long.parseLong(f[1]);
                default -> {
                }
            }
        }
        Files.delete(report);
        return run;
    }

    /**
     * The remote host that never greets: one selector for every connection, so the tarpit costs one thread however
     * many it holds, and each end is timed when the selector sees it.
     */
    static final class Tarpit implements AutoCloseable {
        private final ServerSocketChannel server;
        private final Selector selector;
        private final Thread loop;
        /** By the client's port (the connection's remote port here): when the tarpit saw it end. */
        final long[] ended = new long[65536];
        final AtomicInteger resets = new AtomicInteger();
        final AtomicInteger open = new AtomicInteger();
        private final AtomicLong lastEnd = new AtomicLong();
        private volatile boolean closed;

        Tarpit() throws IOException {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
            loop = new Thread(this::serve, "tarpit");
            loop.start();
        }

        int port() {
            return server.socket().getLocalPort();
        }

        void reset() {
            Arrays.fill(ended, 0);
            resets.set(0);
        }

        /** Waits until every connection of a run has ended here too (the host's exit resets what is left). */
        void awaitQuiet(int connections) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (open.get() > 0 && System.nanoTime() < until) {
                Thread.sleep(50);
            }
        }

        private void serve() {
            ByteBuffer sink = ByteBuffer.allocateDirect(4096);
            try {
                while (!closed) {
                    selector.select();
                    for (SelectionKey k : selector.selectedKeys()) {
                        if (k.isAcceptable()) {
                            for (SocketChannel c; (c = server.accept()) != null; ) {
                                c.configureBlocking(false);
                                c.register(selector, SelectionKey.OP_READ);
                                open.incrementAndGet();
                            }
                        } else if (k.isReadable()) {
                            SocketChannel c = (SocketChannel) k.channel();
                            int read;
                            boolean reset = false;
                            try {
                                sink.clear();
                                read = c.read(sink);
                            } catch (IOException e) {
                                read = -1;
                                reset = true; // "Connection reset": the RST of an abortive close
                            }
                            if (read < 0) {
                                long now = System.nanoTime();
                                ended[((InetSocketAddress) c.getRemoteAddress()).getPort()] = now;
                                if (reset) {
                                    resets.incrementAndGet();
                                }
                                lastEnd.set(now);
                                k.cancel();
                                c.close();
                                open.decrementAndGet();
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                if (!closed) {
                    e.printStackTrace();
                }
            }
        }

        @Override
        public void close() throws IOException {
            closed = true;
            selector.wakeup();
            server.close();
        }
    }

    /**
     * The host, in a child JVM: a legacy client that connects and blocks a thread in each greeting read, with no
     * timeout. Writes one line per connection to the report file: port, connect time, when its read ended, and how.
     */
    public static final class Host {
        public static void main(String[] a) throws Exception {
            int port = Integer.parseInt(a[0]);
            int n = Integer.parseInt(a[1]);
            boolean agent = Boolean.parseBoolean(a[2]);
            Path report = Path.of(a[3]);
            int readers = Integer.parseInt(a[4]);
            // A server with JMX, as most are: the agent registers its MBeans now, not 10 s in, inside the window.
            ManagementFactory.getPlatformMBeanServer();
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            Socket[] sockets = new Socket[n];
            int[] ports = new int[n];
            long[] connected = new long[n];
            long[] ended = new long[n];
            String[] how = new String[n];
            CountDownLatch done = new CountDownLatch(readers);
            InetSocketAddress tarpit = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Socket s = new Socket();
                // Taken before the call: the agent's own connect time is later, so the deadline computed here is
                // never later than the agent's and the lateness reported is an upper bound.
                connected[i] = System.nanoTime();
                s.connect(tarpit);
                sockets[i] = s;
                ports[i] = s.getLocalPort();
            }
            long connectMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // Then a host thread blocks in each greeting read; connecting first keeps every deadline within the
            // connect phase, and the threads are all waiting well before the first of them.
            for (int k = 0; k < readers; k++) {
                int id = (int) ((long) k * n / readers); // spread over the connect order, so over the deadlines
                Socket s = sockets[id];
                Thread reader = new Thread(null, () -> {
                    try {
                        int b = s.getInputStream().read(); // the greeting wait, with no timeout
                        how[id] = b < 0 ? "eof" : "byte";
                    } catch (IOException e) {
                        how[id] = e.getClass().getName();
                    }
                    ended[id] = System.nanoTime();
                    done.countDown();
                }, "delivery-" + id, 128 * 1024);
                reader.setDaemon(true);
                reader.start();
            }
            long setupEnd = System.nanoTime();
            long setupMs = TimeUnit.NANOSECONDS.toMillis(setupEnd - start);
            // The window ends a second before the first deadline, so that every connection waits through all of it.
            long firstDeadline = connected[0] + TimeUnit.MILLISECONDS.toNanos(BANNER_TIMEOUT_MS);
            long windowEnd = firstDeadline - TimeUnit.SECONDS.toNanos(1);
            long windowStart = windowEnd - TimeUnit.MILLISECONDS.toNanos(WINDOW_MS);
            if (windowStart - (setupEnd + TimeUnit.MILLISECONDS.toNanos(SETTLE_MS)) < 0) {
                System.out.println("WARNING setup took " + setupMs + " ms: the CPU window starts less than " + SETTLE_MS
                        + " ms after it");
            }
            sleepUntil(windowStart);
            long[] agentThreads = agentThreads();
            long cpu0 = os.getProcessCpuTime(), agent0 = threadCpu(agentThreads);
            sleepUntil(windowEnd);
            long cpu1 = os.getProcessCpuTime(), agent1 = threadCpu(agentThreads);
            long reapCpu = 0, agentReapCpu = 0;
            if (agent) {
                sleepUntil(firstDeadline);
                long cpu2 = os.getProcessCpuTime(), agent2 = threadCpu(agentThreads);
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BANNER_TIMEOUT_MS + 120_000);
                if (!done.await(until - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    System.out.println("WARNING not every greeting wait ended: " + done.getCount() + " still blocked");
                }
                // Sockets without a host thread: only the agent's close ends them.
                for (int i = 0; i < n && System.nanoTime() - until < 0; ) {
                    if (sockets[i].isClosed()) {
                        i++;
                    } else {
                        Thread.sleep(10);
                    }
                }
                reapCpu = os.getProcessCpuTime() - cpu2;
                agentReapCpu = threadCpu(agentThreads) - agent2;
            } else {
                for (Socket s : sockets) {
                    s.setSoLinger(true, 0); // no TIME_WAIT left behind for the next run's ephemeral ports
                    s.close();
                }
                done.await(60, TimeUnit.SECONDS);
            }
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(report))) {
                w.println("CONNECT_MS " + connectMs);
                w.println("SETUP_MS " + setupMs);
                w.println("WINDOW_CPU_NS " + (cpu1 - cpu0));
                w.println("REAP_CPU_NS " + reapCpu);
                w.println("AGENT_WINDOW_CPU_NS " + (agent1 - agent0));
                w.println("AGENT_REAP_CPU_NS " + agentReapCpu);
                for (int i = 0; i < n; i++) {
                    w.println("CONN " + ports[i] + " " + connected[i] + " " + ended[i] + " " + how[i]);
                }
            }
        }

        /** The agent's own threads (reaper, JMX registrar): their CPU time has nanosecond resolution. */
        @SuppressWarnings("deprecation") // Thread#threadId is JDK 19+; the host runs on 17 too
        private static long[] agentThreads() {
            return Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("smtp-watchdog")).mapToLong(Thread::getId).toArray();
        }

        private static long threadCpu(long[] ids) {
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long sum = 0;
            for (long id : ids) {
                sum += Math.max(0, threads.getThreadCpuTime(id));
            }
            return sum;
        }

        private static void sleepUntil(long nanos) throws InterruptedException {
            for (long left; (left = nanos - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        }
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double mid(List<Double> l) {
        List<Double> s = new ArrayList<>(l);
        Collections.sort(s);
        return s.isEmpty() ? -1 : s.get(s.size() / 2);
    }

    private static long midL(List<Long> l) {
        List<Long> s = new ArrayList<>(l);
        Collections.sort(s);
        return s.isEmpty() ? -1 : s.get(s.size() / 2);
    }
}

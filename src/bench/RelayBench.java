import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P3: the demo-server relaying to a fast sink, messages per second with the agent and without it.
 *
 * <p>This process is the fast sink (greets at once, answers every command, keeps nothing, forces nothing to disk) and
 * the mail submitter. Each run starts the demo-server jar on a fresh spool with a routes file that sends every domain
 * to the sink, submits a warm-up batch over SMTP and waits until the sink has it all, then submits the measured batch
 * and times it from the first submission to the sink's receipt of its last message. Runs alternate without and with
 * the agent ({@code config=src/config/demo-server.properties}: its delivery and slot declarations, so every outbound
 * connection is tracked whatever its port), so both see the same machine load. After a run with the agent, the
 * agent's own {@code status} command confirms it tracked every delivery; at the end of each run the relay's last
 * STATUS lines (on SIGTERM) must add up to every message delivered and none failed.
 *
 * <p>Run from the project root after {@code mvn -B -DskipTests package}:
 * {@code java src/bench/RelayBench.java [messages] [rounds] [java-home]} (defaults 2000, 5, this JDK).
 * {@code -Dwarmup=N} and {@code -DrelayJvmArgs="..."} (before the file name; {@code {side}} in the latter becomes
 * {@code none} or {@code agent}) and {@code -DrelayPrefix="taskset -c 1"} serve the diagnosis in BENCHMARKS.md.
 */
public class RelayBench {
    /** Messages relayed before the timed batch; {@code -Dwarmup=N} (before the file name) changes it. */
    static final int WARMUP = Integer.getInteger("warmup", 300);
    /** Extra options for both relay JVMs, e.g. a flight recording: {@code -DrelayJvmArgs="..."}. */
    static final String RELAY_JVM_ARGS = System.getProperty("relayJvmArgs", "").trim();
    /**
     * Replaces the agent side's {@code -javaagent} value, for control runs such as an agent that does nothing:
     * {@code -DagentSpec=/tmp/null-agent.jar}. The agent's own account of the deliveries is then not read.
     */
    static final String AGENT_SPEC = System.getProperty("agentSpec", "").trim();
    /**
     * Timed batches per relay run, {@code -Dbatches=N}; the run's figure is the median of the later half, when the
     * JIT has settled (batch 1 alone is the default, as before).
     */
    static final int BATCHES = Integer.getInteger("batches", 1);
    /** A command the relay runs under, e.g. {@code -DrelayPrefix="taskset -c 1"} to give it a core of its own. */
    static final String RELAY_PREFIX = System.getProperty("relayPrefix", "").trim();
    /** Parallel submitter sessions; each sends its share of the batch over one connection. */
    static final int SUBMITTERS = 4;
    static final int DOMAINS = 4;
    static final String[] RELAY_OPTIONS = {"--threads", "4", "--per-domain-limit", "2", "--status-interval", "1s"};
    static final Pattern LISTENING = Pattern.compile("^LISTENING (\\S+):(\\d+)");
    static final Pattern STATUS =
            Pattern.compile("^STATUS domain=(\\S+) queued=(\\d+) inflight=(\\d+) delivered=(\\d+) failed=(\\d+)");

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String javaHome = args.length > 2 ? args[2] : System.getProperty("java.home");
        Path agent = Path.of("agent/target/smtp-watchdog-agent.jar").toAbsolutePath();
        Path relay = Path.of("demo-server/target/demo-server.jar").toAbsolutePath();
        Path config = Path.of("src/config/demo-server.properties").toAbsolutePath();
        if (!Files.exists(agent) || !Files.exists(relay)) {
            throw new IllegalStateException("run from the project root after mvn -B -DskipTests package");
        }
        List<Double> none = new ArrayList<>(), with = new ArrayList<>(), ratios = new ArrayList<>();
        try (Sink sink = new Sink()) {
            Path routes = Files.createTempFile("relay-bench-routes", ".txt");
            Files.writeString(routes, "* 127.0.0.1:" + sink.port() + "\n");
            Path spoolParent = Path.of(System.getProperty("java.io.tmpdir"));
            System.out.printf("java.home %s, %d messages per run after %d to warm up, %d submitter sessions, %d domains,"
                            + " relay %s, spool under %s (%s), %d rounds%n", javaHome, messages, WARMUP, SUBMITTERS,
                    DOMAINS, String.join(" ", RELAY_OPTIONS), spoolParent, Files.getFileStore(spoolParent).type(), rounds);
            for (int round = 1; round <= rounds; round++) {
                // Alternate which goes first, so a drift in machine load does not favour one side.
                double a, b;
                if (round % 2 == 1) {
                    a = run(javaHome, relay, null, routes, sink, messages);
                    b = run(javaHome, relay, AGENT_SPEC.isEmpty() ? agent + "=config=" + config : AGENT_SPEC, routes, sink,
                            messages);
                } else {
                    b = run(javaHome, relay, AGENT_SPEC.isEmpty() ? agent + "=config=" + config : AGENT_SPEC, routes, sink,
                            messages);
                    a = run(javaHome, relay, null, routes, sink, messages);
                }
                none.add(a);
                with.add(b);
                ratios.add(b / a);
                System.out.printf("round %d: no agent %.0f msg/s, with agent %.0f msg/s, ratio %.3f%n", round, a, b, b / a);
            }
            Files.delete(routes);
        }
        System.out.printf("messages per second, no agent:   median %.0f (min %.0f, max %.0f)%n", median(none),
                Collections.min(none), Collections.max(none));
        System.out.printf("messages per second, with agent: median %.0f (min %.0f, max %.0f)%n", median(with),
                Collections.min(with), Collections.max(with));
        System.out.printf("agent/none: ratio of medians %.3f; median of per-round ratios %.3f (min %.3f, max %.3f)%n",
                median(with) / median(none), median(ratios), Collections.min(ratios), Collections.max(ratios));
        System.out.printf("goal agent/none >= 0.98: %s%n", median(with) / median(none) >= 0.98 ? "met" : "MISSED");
    }

    /** One relay run; returns the measured batch's messages per second. */
    private static double run(String javaHome, Path relay, String agentArg, Path routes, Sink sink, int messages)
            throws Exception {
        Path spool = Files.createTempDirectory("relay-bench-spool");
        List<String> cmd = new ArrayList<>();
        if (!RELAY_PREFIX.isEmpty()) {
            cmd.addAll(List.of(RELAY_PREFIX.split("\\s+")));
        }
        cmd.add(Path.of(javaHome, "bin", "java").toString());
        if (!RELAY_JVM_ARGS.isEmpty()) {
            for (String a : RELAY_JVM_ARGS.split("\\s+")) {
                cmd.add(a.replace("{side}", agentArg == null ? "none" : "agent"));
            }
        }
        if (agentArg != null) {
            cmd.add("-javaagent:" + agentArg);
        }
        cmd.addAll(List.of("-jar", relay.toString(), "--port", "0", "--routes", routes.toString(), "--spool",
                spool.toString()));
        cmd.addAll(List.of(RELAY_OPTIONS));
        Path log = Files.createTempFile("relay-bench", ".log"); // its log, and the agent's: read after the run
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        InetSocketAddress inbound = null;
        for (String line; inbound == null && (line = out.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                inbound = new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
            }
        }
        if (inbound == null) {
            throw new IllegalStateException("the relay did not start: " + cmd);
        }
        int base = sink.received();
        submit(inbound, WARMUP, "warm");
        sink.await(base + WARMUP);
        List<Double> rates = new ArrayList<>();
        String cpu = "";
        long start = 0, end = 0;
        for (int batch = 1; batch <= BATCHES; batch++) {
            java.util.Map<String, long[]> cpuBefore = threadCpu(p.pid());
            start = System.nanoTime();
            submit(inbound, messages, "run" + batch);
            end = sink.await(base + WARMUP + batch * messages);
            rates.add(messages / ((end - start) / 1e9));
            cpu = cpuSince(cpuBefore, threadCpu(p.pid()), messages);
        }
        double perSecond = median(rates.subList(rates.size() / 2, rates.size()));
        if (BATCHES > 1) {
            StringBuilder b = new StringBuilder();
            for (double r : rates) {
                b.append(String.format(" %.0f", r));
            }
            System.out.println("    batches (msg/s):" + b + "; the later half's median " + Math.round(perSecond));
        }
        messages = messages * BATCHES; // what the relay must report delivered, below
        // The sink has every message; the relay records each as delivered a moment later. Its STATUS lines (every
        // second) tell when it has, then the agent's account is read and the relay stopped.
        java.util.Map<String, long[]> status = new java.util.concurrent.ConcurrentHashMap<>();
        Thread statusReader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    Matcher m = STATUS.matcher(line);
                    if (m.find()) {
                        status.put(m.group(1), new long[]{Long.parseLong(m.group(2)) + Long.parseLong(m.group(3)),
                                Long.parseLong(m.group(4)), Long.parseLong(m.group(5))});
                    }
                }
            } catch (IOException ignored) {
                // the relay is gone
            }
        });
        statusReader.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sum(status, 1) < WARMUP + messages && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        String tracked = agentArg == null || !AGENT_SPEC.isEmpty() ? null : trackedConnects(javaHome, p.pid());
        p.toHandle().destroy(); // SIGTERM, leaving our end of its stdout open: the relay prints its last STATUS lines
        p.waitFor();
        statusReader.join();
        long held = sum(status, 0), delivered = sum(status, 1), failed = sum(status, 2);
        if (delivered != WARMUP + messages || failed != 0 || held != 0) {
            throw new IllegalStateException("relay STATUS at exit: delivered " + delivered + ", failed " + failed
                    + ", still held " + held + "; expected " + (WARMUP + messages) + " delivered");
        }
        System.out.printf("  %s: %d messages, last batch in %.0f ms, %.0f msg/s; relay STATUS at exit: delivered %d failed 0%s%n",
                agentArg == null ? "no agent  " : "with agent", messages, (end - start) / 1e6, perSecond, delivered,
                tracked == null ? "" : "; agent status: " + tracked);
        System.out.println("    " + cpu);
        deleteTree(spool);
        // A start slower than startupWait lets the relay's first connections out unwatched: say so when it happens.
        for (String line : Files.readAllLines(log)) {
            Matcher active = Pattern.compile("smtp-watchdog active in \\d+ ms").matcher(line);
            if (line.contains("smtp-watchdog: hooks not live")) {
                System.out.println("    " + line.substring(line.indexOf("smtp-watchdog")));
            } else if (active.find()) {
                System.out.println("    " + active.group());
            }
        }
        Files.delete(log);
        return perSecond;
    }

    /**
     * CPU per relay thread group from {@code /proc/<pid>/task/<tid>/stat}: user and system clock ticks and minor page
     * faults, by thread name with its trailing digits dropped (the kernel keeps the first 15 characters).
     */
    static java.util.Map<String, long[]> threadCpu(long pid) {
        java.util.Map<String, long[]> byGroup = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // after the name: state(0) ppid pgrp session tty tpgid flags minflt(7) cminflt majflt cmajflt utime(11) stime(12)
                    String group = name.replaceAll("[-#0-9 ]+$", "");
                    long[] sum = byGroup.computeIfAbsent(group, g -> new long[3]);
                    sum[0] += Long.parseLong(f[11]);
                    sum[1] += Long.parseLong(f[12]);
                    sum[2] += Long.parseLong(f[7]);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // not Linux: no figures
        }
        return byGroup;
    }

    /** What the relay's threads spent between two {@link #threadCpu} readings, per message, largest groups first. */
    static String cpuSince(java.util.Map<String, long[]> before, java.util.Map<String, long[]> after, int messages) {
        double tickUs = 1e6 / 100; // USER_HZ is 100 on Linux
        long user = 0, sys = 0, faults = 0;
        List<String> groups = new ArrayList<>();
        List<long[]> diffs = new ArrayList<>();
        for (var e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[3]);
            long[] d = {e.getValue()[0] - b[0], e.getValue()[1] - b[1], e.getValue()[2] - b[2]};
            user += d[0];
            sys += d[1];
            faults += d[2];
            groups.add(e.getKey());
            diffs.add(d);
        }
        StringBuilder by = new StringBuilder();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            order.add(i);
        }
        order.sort((x, y) -> Long.compare(diffs.get(y)[0] + diffs.get(y)[1], diffs.get(x)[0] + diffs.get(x)[1]));
        for (int i : order.subList(0, Math.min(6, order.size()))) {
            long[] d = diffs.get(i);
            by.append(String.format("; %s %.0f+%.0f us, %.1f faults", groups.get(i), d[0] * tickUs / messages,
                    d[1] * tickUs / messages, (double) d[2] / messages));
        }
        return String.format("relay CPU per message in the timed batch: user %.0f us, system %.0f us, minor faults %.1f%s",
                user * tickUs / messages, sys * tickUs / messages, (double) faults / messages, by);
    }

    /** The agent's own account of the outbound connections it tracked, read with its {@code status} command. */
    private static String trackedConnects(String javaHome, long pid) throws Exception {
        Process s = new ProcessBuilder(Path.of(javaHome, "bin", "java").toString(), "-jar",
                "agent/target/smtp-watchdog-agent.jar", "status", String.valueOf(pid)).redirectErrorStream(true).start();
        String text = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        s.waitFor();
        Matcher m = Pattern.compile("tracked (\\d+), connects (\\d+)").matcher(text);
        return m.find() ? "connects " + m.group(2) + ", tracked now " + m.group(1) : "unreadable: " + text.trim();
    }

    /** Submits {@code count} messages through {@link #SUBMITTERS} parallel SMTP sessions; returns when all got 250. */
    private static void submit(InetSocketAddress relay, int count, String tag) throws Exception {
        List<Thread> threads = new ArrayList<>();
        AtomicLong failures = new AtomicLong();
        for (int t = 0; t < SUBMITTERS; t++) {
            int first = t;
            Thread th = new Thread(() -> {
                try (Socket s = new Socket()) {
                    s.connect(relay, 10_000);
                    s.setSoTimeout(60_000);
                    Session smtp = new Session(s);
                    smtp.expect(220, null);
                    smtp.expect(250, "EHLO bench.localhost");
                    for (int i = first; i < count; i += SUBMITTERS) {
                        String to = "user" + i + "@d" + (i % DOMAINS) + ".example";
                        smtp.expect(250, "MAIL FROM:<bench@bench.localhost>");
                        smtp.expect(250, "RCPT TO:<" + to + ">");
                        smtp.expect(354, "DATA");
                        smtp.expect(250, body(tag + "-" + i, to) + ".");
                    }
                    smtp.expect(221, "QUIT");
                } catch (IOException e) {
                    failures.incrementAndGet();
                    e.printStackTrace();
                }
            });
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
        if (failures.get() > 0) {
            throw new IllegalStateException("submission failed");
        }
    }

    /** About 1 KB, as a small real message is; ends with CRLF so the final dot goes on its own line. */
    private static String body(String id, String to) {
        StringBuilder b = new StringBuilder("From: <bench@bench.localhost>\r\nTo: <" + to + ">\r\nSubject: relay bench "
                + id + "\r\nMessage-ID: <" + id + "@bench.localhost>\r\n\r\n");
        for (int i = 0; i < 14; i++) {
            b.append("The quick brown fox jumps over the lazy dog, line ").append(i).append(".\r\n");
        }
        return b.toString();
    }

    /** A minimal SMTP client: sends a command (or data) and reads the reply, multi-line replies included. */
    static final class Session {
        private final InputStream in;
        private final OutputStream out;

        Session(Socket s) throws IOException {
            in = new java.io.BufferedInputStream(s.getInputStream());
            out = s.getOutputStream();
        }

        void expect(int code, String command) throws IOException {
            if (command != null) {
                out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            String line;
            do {
                line = readLine(in);
                if (line == null) {
                    throw new IOException("connection closed, expected " + code);
                }
            } while (line.length() > 3 && line.charAt(3) == '-');
            if (!line.startsWith(String.valueOf(code))) {
                throw new IOException("expected " + code + " after " + command + ", got " + line);
            }
        }
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                int n = b.length();
                return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
            }
            b.append((char) c);
        }
        return b.length() > 0 ? b.toString() : null;
    }

    /**
     * The fast remote host: a thread per connection, a 220 at once, 250 to everything, 354 to DATA, and a 250 after
     * the final dot, which counts the message and notes when it arrived. Nothing is kept or written to disk.
     */
    static final class Sink implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        private final AtomicInteger received = new AtomicInteger();
        private final AtomicLong last = new AtomicLong();
        private final Object arrived = new Object();

        Sink() throws IOException {
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread t = new Thread(() -> serve(s), "sink-conn");
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "sink-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int received() {
            return received.get();
        }

        /** Waits until {@code count} messages have arrived in all; returns when the last of them did. */
        long await(int count) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            synchronized (arrived) {
                while (received.get() < count) {
                    long left = until - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException("the sink has " + received.get() + " of " + count);
                    }
                    TimeUnit.NANOSECONDS.timedWait(arrived, left);
                }
                return last.get();
            }
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = new java.io.BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                out.write("220 sink.localhost ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                for (String line; (line = readLine(in)) != null; ) {
                    String verb = line.length() < 4 ? line.toUpperCase() : line.substring(0, 4).toUpperCase();
                    String reply = switch (verb) {
                        case "DATA" -> "354 go ahead";
                        case "QUIT" -> "221 bye";
                        default -> "250 ok";
                    };
                    out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    if (verb.equals("QUIT")) {
                        return;
                    }
                    if (verb.equals("DATA")) {
                        for (String data; (data = readLine(in)) != null && !data.equals("."); ) {
                            // the message is not kept
                        }
                        synchronized (arrived) {
                            last.set(System.nanoTime());
                            received.incrementAndGet();
                            arrived.notifyAll();
                        }
                        out.write("250 2.0.0 taken\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                }
            } catch (IOException ignored) {
                // the relay went away
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static long sum(java.util.Map<String, long[]> status, int column) {
        return status.values().stream().mapToLong(v -> v[column]).sum();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static double median(List<Double> l) {
        List<Double> s = new ArrayList<>(l);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}

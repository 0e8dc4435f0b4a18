import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * P2's missing piece: what the read hook itself costs per read, without the socket under it.
 *
 * <p>A 64 KiB loopback read swings by 10-25 % per JMH round on this machine even in the reading thread's own CPU time,
 * so the bulk-read comparison cannot resolve a 1 % goal. This isolates the hook: the bridge's {@code read}, exactly
 * what the advice inlined into {@code Socket$SocketInputStream#read} calls, on a tracked socket in session with
 * nothing awaited (the bulk-read case) and, for the worst case, with a MAIL reply awaited, and with the agent's
 * tracker removed ({@code Bridge.install(null)}: the hook's no-op), alternating in one run. The socket is never
 * connected: the tracker is told it connected to port 25, as the connect hook would, and sees its greeting.
 *
 * <p>Run from the project root after {@code mvn -B -DskipTests package}, in a child JVM with the agent jar on its class
 * path (not as an agent): {@code java src/bench/ReadHookBench.java [rounds] [java-home]}.
 */
public class ReadHookBench {
    static final int READ = 8192;
    static final long CALLS = 20_000_000L;

    public static void main(String[] args) throws Throwable {
        if (args.length > 0 && args[0].equals("child")) {
            child(Integer.parseInt(args[1]));
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        String javaHome = args.length > 1 ? args[1] : System.getProperty("java.home");
        Path agent = Path.of("agent/target/smtp-watchdog-agent.jar").toAbsolutePath();
        if (!Files.exists(agent)) {
            throw new IllegalStateException("run from the project root after mvn -B -DskipTests package");
        }
        Process p = new ProcessBuilder(Path.of(javaHome, "bin", "java").toString(), "-Xmx256m", "-cp",
                agent.toString(), "src/bench/ReadHookBench.java", "child", String.valueOf(rounds)).inheritIO().start();
        System.exit(p.waitFor());
    }

    /** Sink for the hook's results, so the loop is not removed. */
    static volatile int sink;

    static void child(int rounds) throws Throwable {
        Class<?> bridge = Class.forName("io.smtpwatchdog.bridge.Bridge");
        Class<?> policyType = Class.forName("io.smtpwatchdog.track.Policy");
        Object policy = policyType.getConstructor(int[].class, long.class, boolean.class)
                .newInstance(new int[] {25}, 3_600_000L, true);
        // As after the startup self-test proved the write hook: greeted connections get a session that follows replies.
        policyType.getMethod("repliesVisible", boolean.class).invoke(policy, true);
        Object tracker = Class.forName("io.smtpwatchdog.track.Tracker").getConstructor(policyType, int.class)
                .newInstance(policy, 1000);
        java.lang.reflect.Method install = bridge.getMethod("install", bridge);
        java.lang.reflect.Method connected = bridge.getMethod("connected", Socket.class, java.net.SocketAddress.class,
                Throwable.class);
        java.lang.invoke.MethodHandle read = java.lang.invoke.MethodHandles.publicLookup().findStatic(bridge, "read",
                java.lang.invoke.MethodType.methodType(void.class, Socket.class, byte[].class, int.class, int.class));
        java.lang.invoke.MethodHandle write = java.lang.invoke.MethodHandles.publicLookup().findStatic(bridge, "write",
                java.lang.invoke.MethodType.methodType(void.class, Socket.class, byte[].class, int.class, int.class));
        install.invoke(null, tracker);
        Socket s = new Socket();
        Socket waiting = new Socket(); // a second connection awaiting its greeting, as in P2
        connected.invoke(null, s, InetSocketAddress.createUnresolved("bench.example", 25), null);
        connected.invoke(null, waiting, InetSocketAddress.createUnresolved("tarpit.example", 25), null);
        byte[] greeting = "220 ok\r\n".getBytes(StandardCharsets.US_ASCII);
        read.invoke(s, greeting, 0, greeting.length);
        byte[] data = new byte[READ];
        java.util.Arrays.fill(data, (byte) 'x');
        System.out.printf("java %s, %d calls of Bridge.read(socket, byte[%d]) per sample, %d rounds, alternating%n",
                System.getProperty("java.vm.version"), CALLS, READ, rounds);
        List<Double> off = new ArrayList<>(), on = new ArrayList<>();
        for (int r = 1; r <= rounds + 1; r++) {
            install.invoke(null, (Object) null);
            double a = nsPerCall(read, s, data);
            install.invoke(null, tracker);
            double b = nsPerCall(read, s, data);
            if (r == 1) {
                continue; // warm-up round
            }
            off.add(a);
            on.add(b);
            System.out.printf("round %d: hook without the tracker %.2f ns per read, with it (in session, nothing awaited) %.2f ns%n",
                    r - 1, a, b);
        }
        // The worst case: a MAIL reply awaited and every byte read fed to the reply parser, as 8 KiB of "250-"
        // continuation lines (64 bytes each) whose last line never comes.
        byte[] mail = "MAIL FROM:<a@b.example>\r\n".getBytes(StandardCharsets.US_ASCII);
        write.invoke(s, mail, 0, mail.length);
        byte[] line = ("250-" + "x".repeat(58) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] continuation = new byte[READ];
        for (int i = 0; i < READ; i += line.length) {
            System.arraycopy(line, 0, continuation, i, line.length);
        }
        double awaiting = nsPerCall(read, s, continuation, CALLS / 1000);
        System.out.printf("hook without the tracker: median %.2f ns per read (min %.2f, max %.2f)%n", median(off),
                Collections.min(off), Collections.max(off));
        System.out.printf("hook with the tracker, in session, nothing awaited: median %.2f ns per read (min %.2f, max %.2f)%n",
                median(on), Collections.min(on), Collections.max(on));
        System.out.printf("added per read by the tracker: %.2f ns (median difference); with a reply awaited and 8 KiB of"
                + " continuation lines to parse: %.0f ns%n", median(on) - median(off), awaiting);
        System.out.println("the held connections: " + (s.isClosed() || waiting.isClosed() ? "closed?" : "open"));
    }

    static double nsPerCall(java.lang.invoke.MethodHandle read, Socket s, byte[] data) throws Throwable {
        return nsPerCall(read, s, data, CALLS);
    }

    static double nsPerCall(java.lang.invoke.MethodHandle read, Socket s, byte[] data, long calls) throws Throwable {
        long t0 = System.nanoTime();
        for (long i = 0; i < calls; i++) {
            read.invokeExact(s, data, 0, data.length);
        }
        return (System.nanoTime() - t0) / (double) calls;
    }

    static double median(List<Double> l) {
        List<Double> c = new ArrayList<>(l);
        Collections.sort(c);
        int n = c.size();
        return n % 2 == 1 ? c.get(n / 2) : (c.get(n / 2 - 1) + c.get(n / 2)) / 2;
    }
}

package io.smtpwatchdog.it.child;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A host whose stderr fails while the agent has things to log, one {@link Sink} after another. The agent's log
 * backend writes through {@link System#err} at each event, so {@link System#setErr} breaks it for real. While it is
 * broken, the host loads a class with a declared delivery method (the agent logs its hook from the loading thread,
 * the host's), delivers to a healthy peer, and connects to a tarpit through the same method, leaking its slot on the
 * failure as the KB's servers did (the agent's reaper logs the reap, then the slot it gives back). Then a last
 * tarpit delivery with stderr restored shows the log works again. Usage: {@code host smtpPort tarpitPort}.
 *
 * <p>Prints per sink {@code SINK <sink> healthy=<outcome> tarpit=<outcome> failedWrites=<agent's count>},
 * {@code AFTER tarpit=<outcome>}, {@code UNEXPECTED} for anything the host did not expect, and the agent's counters.
 */
public final class FailingLogHost {
    /** How stderr fails. */
    enum Sink {
        /** Writes throw IOException: PrintStream swallows it and sets its error flag. */
        IO_EXCEPTION,
        /** Writes throw an unchecked exception, which PrintStream passes on to the caller. */
        RUNTIME_EXCEPTION,
        /** Printing overflows the stack, for real. */
        STACK_OVERFLOW
    }

    static final LimiterHost.Limiter LIMITER = new LimiterHost.Limiter(1000);

    /** Relays with a declared delivery method, one per sink, so each is first loaded while that sink is in place. */
    public static final class Relay0 {
        public static void deliver(String domain, String host, int port) throws Exception {
            FailingLogHost.session(host, port);
        }
    }

    /** As {@link Relay0}. */
    public static final class Relay1 {
        public static void deliver(String domain, String host, int port) throws Exception {
            FailingLogHost.session(host, port);
        }
    }

    /** As {@link Relay0}. */
    public static final class Relay2 {
        public static void deliver(String domain, String host, int port) throws Exception {
            FailingLogHost.session(host, port);
        }
    }

    /** As {@link Relay0}; loaded with stderr working again. */
    public static final class Relay3 {
        public static void deliver(String domain, String host, int port) throws Exception {
            FailingLogHost.session(host, port);
        }
    }

    static void session(String host, int port) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 10_000);
            InputStream in = s.getInputStream();
            GreetingClient.readReply(in); // no timeout of its own
            OutputStream out = s.getOutputStream();
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            GreetingClient.readReply(in);
        }
    }

    /** A stderr that fails the way {@code sink} says, and tells when a line with {@code marker} was written to it. */
    private static WatchedStderr failing(Sink sink, String marker) {
        switch (sink) {
            case IO_EXCEPTION:
                return new WatchedStderr(new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        throw new IOException("injected: stderr is gone");
                    }
                }, false, marker);
            case RUNTIME_EXCEPTION:
                return new WatchedStderr(new OutputStream() {
                    @Override
                    public void write(int b) {
                        throw new IllegalStateException("injected: stderr is gone");
                    }
                }, false, marker);
            case STACK_OVERFLOW:
                return new WatchedStderr(OutputStream.nullOutputStream(), true, marker);
            default:
                throw new AssertionError(sink);
        }
    }

    /** One delivery through relay {@code n}: the outcome as the host sees it. */
    private static String deliver(int relay, String domain, String host, int port) {
        if (!LIMITER.acquire(domain)) {
            return "no slot";
        }
        long t0 = System.nanoTime();
        try {
            switch (relay) {
                case 0:
                    Relay0.deliver(domain, host, port);
                    break;
                case 1:
                    Relay1.deliver(domain, host, port);
                    break;
                case 2:
                    Relay2.deliver(domain, host, port);
                    break;
                default:
                    Relay3.deliver(domain, host, port);
            }
            LIMITER.release(domain);
            return "delivered";
        } catch (SocketException reaped) {
            return "reaped after " + GreetingClient.ms(t0) + " ms"; // and, like the KB's server, forgets release()
        } catch (Exception e) {
            System.out.println("UNEXPECTED " + GreetingClient.describe(e));
            return "failed";
        }
    }

    /** Waits until the agent has given back the slot the host leaked on {@code domain}. */
    private static void awaitSlotBack(String domain) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (LIMITER.snapshot().getOrDefault(domain, 0) != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Waits, up to 30 s, until the agent has counted {@code atLeast} log events it could not write. */
    private static void awaitFailedWrites(long atLeast) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (failedWrites() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /**
     * A stderr that notes when a line with {@code marker} is printed to it, then writes to {@code out}, or overflows
     * the stack first. The agent's log writes each event with one {@code print(String)}: the test knows what reached
     * the stream, broken or not, without racing the agent's reaper.
     */
    private static final class WatchedStderr extends PrintStream {
        private final boolean overflow;
        private final String marker;
        private final CountDownLatch seen = new CountDownLatch(1);

        WatchedStderr(OutputStream out, boolean overflow, String marker) {
            super(out, true);
            this.overflow = overflow;
            this.marker = marker;
        }

        @Override
        public void print(String s) {
            if (s != null && s.contains(marker)) {
                seen.countDown();
            }
            if (overflow) {
                overflow(s);
            }
            super.print(s);
        }

        private static void overflow(String s) {
            overflow(s); // until the JVM throws StackOverflowError
        }

        void await() throws InterruptedException {
            seen.await(30, TimeUnit.SECONDS);
        }
    }

    private static long failedWrites() throws Exception {
        return (Long) Class.forName("io.smtpwatchdog.log.AgentLog").getMethod("failedWrites").invoke(null);
    }

    public static void main(String[] a) throws Exception {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> System.out.println("UNCAUGHT in " + t.getName() + ": "
                + GreetingClient.describe(e)));
        String host = a[0];
        int smtp = Integer.parseInt(a[1]);
        int tarpit = Integer.parseInt(a[2]);
        AgentView.awaitLive();
        PrintStream stderr = System.err;
        for (Sink sink : Sink.values()) {
            int relay = sink.ordinal();
            long before = failedWrites();
            String domain = "tarpit" + relay + ".example";
            WatchedStderr broken = failing(sink, "gave back a slot of " + domain);
            System.setErr(broken);
            String healthy;
            String stuck;
            try {
                healthy = deliver(relay, "healthy" + relay + ".example", host, smtp);
                stuck = deliver(relay, domain, host, tarpit);
                awaitSlotBack(domain);
                broken.await(); // the reaper logs the slot after giving it back: that line too goes to the broken one
                awaitFailedWrites(before + 3);
            } finally {
                System.setErr(stderr);
            }
            System.out.println("SINK " + sink + " healthy=" + healthy + " tarpit=" + stuck + " failedWrites="
                    + (failedWrites() - before));
        }
        WatchedStderr mended = new WatchedStderr(stderr, false, "gave back a slot of tarpit3.example");
        System.setErr(mended);
        String last = deliver(3, "tarpit3.example", host, tarpit);
        awaitSlotBack("tarpit3.example");
        mended.await(); // its line is on the real stderr before the host exits
        System.out.println("AFTER tarpit=" + last + " limiter=" + LIMITER.snapshot());
        AgentView.printCounters();
        System.exit(0);
    }

    private FailingLogHost() {
    }
}

package io.smtpwatchdog.it.child;

import io.smtpwatchdog.bridge.Bridge;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocketFactory;

/**
 * A host whose agent's tracker fails in every hook, one {@link ThrowingBridge.Fault} after another, while the host
 * delivers (plain and TLS layered over plain, through a declared delivery method and declared slots), connects to a
 * closed port and times out a read of its own. Then the real tracker is put back and must still reap a tarpit.
 * Usage: {@code host smtpPort tlsPort tarpitPort closedPort rounds}.
 *
 * <p>Prints per fault {@code FAULT <fault> delivered=n expected=n unexpected=n thrown={hook=n...}}; any exception
 * the host did not expect from its own sockets as {@code UNEXPECTED}; {@code AFTER ...} for the restored tracker;
 * {@code LIMITER}, {@code NEGATIVE} and the agent's counters.
 */
public final class ThrowingTrackerHost {
    private static final LimiterHost.Limiter LIMITER = new LimiterHost.Limiter(1000);

    private final String host;
    private final int smtp;
    private final int tls;
    private final int tarpit;
    private final int closed;
    private int delivered;
    private int expected;
    private int unexpected;

    private ThrowingTrackerHost(String[] a) {
        host = a[0];
        smtp = Integer.parseInt(a[1]);
        tls = Integer.parseInt(a[2]);
        tarpit = Integer.parseInt(a[3]);
        closed = Integer.parseInt(a[4]);
    }

    /** The host's delivery method; declared to the agent as delivery, domain in argument 0. */
    static void deliver(String domain, String host, int port, boolean tls) throws Exception {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), 10_000);
            Socket s = tls ? ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(plain, host, port, true)
                    : plain;
            try (s) {
                InputStream in = s.getInputStream();
                GreetingClient.readReply(in); // no timeout of its own: the KB's client
                OutputStream out = s.getOutputStream();
                out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                GreetingClient.readReply(in);
            }
        } finally {
            plain.close();
        }
    }

    /** A delivery as the host makes it: a slot of its own limiter around the declared method, always given back. */
    private static void deliverWithSlot(String domain, String host, int port, boolean tls) throws Exception {
        if (!LIMITER.acquire(domain)) {
            throw new IllegalStateException("no slot for " + domain);
        }
        try {
            deliver(domain, host, port, tls);
        } finally {
            LIMITER.release(domain);
        }
    }

    private void round() {
        try {
            deliverWithSlot("plain.example", host, smtp, false);
            delivered++;
            deliverWithSlot("tls.example", "localhost", tls, true);
            delivered++;
        } catch (Exception e) {
            unexpected(e);
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, closed), 10_000);
            unexpected(new AssertionError("connected to the closed port " + closed));
        } catch (ConnectException refused) {
            expected++;
        } catch (Exception e) {
            unexpected(e);
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, tarpit), 10_000);
            s.setSoTimeout(200);
            s.getInputStream().read();
            unexpected(new AssertionError("the tarpit sent a byte"));
        } catch (SocketTimeoutException ownTimeout) {
            expected++;
        } catch (Exception e) {
            unexpected(e);
        }
    }

    private void unexpected(Throwable e) {
        unexpected++;
        System.out.println("UNEXPECTED " + GreetingClient.describe(e));
        e.printStackTrace(System.out);
    }

    public static void main(String[] a) throws Exception {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> System.out.println("UNCAUGHT in " + t.getName() + ": "
                + GreetingClient.describe(e)));
        int rounds = Integer.parseInt(a[5]);
        AgentView.awaitLive();
        Bridge real = (Bridge) AgentView.tracker(); // the agent's tracker is a Bridge: the one the hooks feed
        ThrowingTrackerHost h = new ThrowingTrackerHost(a);
        for (ThrowingBridge.Fault fault : ThrowingBridge.Fault.values()) {
            ThrowingBridge broken = new ThrowingBridge(fault);
            Bridge.install(broken);
            h.delivered = 0;
            h.expected = 0;
            h.unexpected = 0;
            for (int i = 0; i < rounds; i++) {
                h.round();
            }
            Bridge.install(real);
            System.out.println("FAULT " + fault + " delivered=" + h.delivered + " expected=" + h.expected
                    + " unexpected=" + h.unexpected + " thrown=" + broken.thrown());
        }

        // The real tracker again: it must track, and reap, as if nothing had happened.
        String after;
        try {
            deliverWithSlot("plain.example", h.host, h.smtp, false);
            after = "delivered";
        } catch (Exception e) {
            after = "failed " + GreetingClient.describe(e);
        }
        long t0 = System.nanoTime();
        String reaped;
        try {
            deliverWithSlot("tarpit.example", h.host, h.tarpit, false);
            reaped = "greeted";
        } catch (SocketException e) {
            reaped = "reaped " + e.getClass().getName() + " after " + GreetingClient.ms(t0) + " ms";
        } catch (Exception e) {
            reaped = "failed " + GreetingClient.describe(e);
        }
        System.out.println("AFTER " + after + " tarpit " + reaped);
        System.out.println("LIMITER " + LIMITER.snapshot());
        System.out.println("NEGATIVE " + LIMITER.negative.get());
        AgentView.printCounters();
        System.exit(0);
    }
}

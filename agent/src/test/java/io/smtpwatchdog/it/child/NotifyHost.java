package io.smtpwatchdog.it.child;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Makes the agent emit its slot and abandonment notifications, once the trigger file exists: takes a declared slot,
 * connects to a tarpit and leaks the slot when the connection is reaped (as the KB's server does); then connects to a
 * healthy peer and drops the socket without closing it, collecting garbage until the agent has counted it. Exits
 * when the second trigger file exists. Usage: {@code tarpitPort healthyPort trigger done}.
 */
public final class NotifyHost {
    /** Declared to the agent as slotAcquire / slotRelease. */
    public static final class Limiter {
        private int inUse;

        public synchronized boolean acquire(String domain) {
            inUse++;
            return true;
        }

        public synchronized void release(String domain) {
            inUse--;
        }
    }

    public static void main(String[] a) throws Exception {
        AgentView.awaitLive();
        Path trigger = Path.of(a[2]);
        while (!Files.exists(trigger)) {
            Thread.sleep(20);
        }
        Limiter limiter = new Limiter();
        limiter.acquire("leaky.example");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(a[0])), 5000);
            s.getInputStream().read();
        } catch (Exception reaped) {
            System.out.println("REAPED " + reaped.getClass().getName()); // and the slot is never released
        }
        Socket dropped = new Socket();
        dropped.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(a[1])), 5000);
        GreetingClient.readReply(dropped.getInputStream());
        dropped = null;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (((Number) ((Map<?, ?>) AgentView.totals()).get("abandoned")).longValue() == 0
                && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(100);
        }
        System.out.println("DROPPED");
        Path done = Path.of(a[3]);
        while (!Files.exists(done)) {
            Thread.sleep(20);
        }
        System.exit(0);
    }
}

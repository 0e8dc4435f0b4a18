package io.smtpwatchdog.it.child;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;

/**
 * Opens {@code n} connections to each of two peers (one greeting, one tarpit), then drops every socket without
 * closing it, and collects garbage until the agent has counted them all as abandoned. Usage:
 * {@code host greeterPort tarpitPort n}.
 */
public final class AbandonClient {
    public static void main(String[] a) throws Exception {
        String host = a[0];
        int greeter = Integer.parseInt(a[1]);
        int tarpit = Integer.parseInt(a[2]);
        int n = Integer.parseInt(a[3]);
        AgentView.awaitLive();
        open(host, greeter, n, true);
        open(host, tarpit, n, false);
        System.out.println("OPENED " + AgentView.totals());
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(100);
            Map<?, ?> t = AgentView.totals();
            if (((Number) t.get("abandoned")).longValue() >= 2L * n) {
                break;
            }
        }
        AgentView.printCounters();
        System.exit(0);
    }

    private static void open(String host, int port, int n, boolean readGreeting) throws Exception {
        for (int i = 0; i < n; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(host, port), 5000);
            if (readGreeting) {
                GreetingClient.readReply(s.getInputStream());
            }
            // dropped here, never closed
        }
    }
}

package io.smtpwatchdog.it.child;

import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Holds three SMTP connections, to three destinations, for a scrape of the Prometheus JMX exporter to count:
 * A to a tarpit through 127.0.0.1 (reaped once its greeting is overdue), B to a healthy peer through localhost
 * (greeted, then held open), and C to another healthy peer inside a declared delivery method for the recipient
 * domain {@code relayDomain} (greeted, held open), a name the agent's MBean must quote. Each runs on its own thread and
 * reports how it went; the program then waits until the test ends it.
 * Usage: {@code tarpitPort healthyPort relayPort relayDomain}.
 */
public final class ExporterHost {
    public static void main(String[] a) throws Exception {
        int tarpit = Integer.parseInt(a[0]);
        int healthy = Integer.parseInt(a[1]);
        int relay = Integer.parseInt(a[2]);
        String relayDomain = a[3];
        AgentView.awaitLive();
        hold("A", () -> connect("127.0.0.1", tarpit, false));
        hold("B", () -> connect("localhost", healthy, true));
        hold("C", () -> deliver(relayDomain, "127.0.0.1", relay));
        Thread.sleep(Long.MAX_VALUE); // the test destroys this JVM when it has scraped enough
    }

    /** The host's delivery method; declared to the agent as delivery, domain in argument 0. */
    static void deliver(String domain, String host, int port) throws Exception {
        connect(host, port, true);
    }

    private static void connect(String host, int port, boolean greets) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            if (greets) {
                System.out.println(Thread.currentThread().getName() + " GREETED "
                        + GreetingClient.readReply(s.getInputStream()));
            }
            System.out.println(Thread.currentThread().getName() + " ENDED " + s.getInputStream().read());
        }
    }

    private interface Connection {
        void run() throws Exception;
    }

    private static void hold(String label, Connection c) {
        Thread t = new Thread(() -> {
            try {
                c.run();
            } catch (Exception e) {
                System.out.println(label + " ENDED " + e.getClass().getName() + ": " + e.getMessage());
            }
        }, label);
        t.setDaemon(true);
        t.start();
    }
}

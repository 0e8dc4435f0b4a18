package io.smtpwatchdog.it.child;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Holds two SMTP connections for a JMX test to look at and steer: A to a tarpit (through 127.0.0.1) and B to a
 * healthy peer (through localhost), made once the test creates the trigger file. Each runs on its own thread and
 * reports how it ended. Usage: {@code tarpitPort healthyPort triggerFile}.
 */
public final class JmxHost {
    public static void main(String[] a) throws Exception {
        int tarpit = Integer.parseInt(a[0]);
        int healthy = Integer.parseInt(a[1]);
        Path trigger = Path.of(a[2]);
        AgentView.awaitLive();
        while (!Files.exists(trigger)) {
            Thread.sleep(20);
        }
        Thread ta = hold("A", "127.0.0.1", tarpit, false);
        Thread tb = hold("B", "localhost", healthy, true);
        ta.join(120_000);
        tb.join(120_000);
        // B ends when the operator's close shuts its socket, inside Socket.close; the close hook counts on that
        // close's exit, a moment later, on the operator's thread. Give it that moment (a close truly lost stays open).
        for (long until = System.nanoTime() + 5_000_000_000L; System.nanoTime() < until; Thread.sleep(10)) {
            if (Long.valueOf(0).equals(AgentView.totals().get("open"))) {
                break;
            }
        }
        AgentView.printCounters();
        System.exit(0);
    }

    private static Thread hold(String label, String host, int port, boolean greets) {
        Thread t = new Thread(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 5000);
                if (greets) {
                    System.out.println(label + " GREETED " + GreetingClient.readReply(s.getInputStream()));
                }
                System.out.println(label + " ENDED " + s.getInputStream().read());
            } catch (Exception e) {
                System.out.println(label + " ENDED " + e.getClass().getName() + ": " + e.getMessage());
            }
        }, "holder-" + label);
        t.start();
        return t;
    }
}

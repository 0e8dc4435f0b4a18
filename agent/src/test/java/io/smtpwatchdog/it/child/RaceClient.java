package io.smtpwatchdog.it.child;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Races host closes against reaps: {@code n} connections to a tarpit, each closed by the host at a random moment
 * around the agent's deadline. Usage: {@code host port n deadlineMs}. Every connection must end exactly once.
 */
public final class RaceClient {
    public static void main(String[] a) throws Exception {
        String host = a[0];
        int port = Integer.parseInt(a[1]);
        int n = Integer.parseInt(a[2]);
        long deadlineMs = Long.parseLong(a[3]);
        AgentView.awaitLive();
        Random random = new Random(42);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long closeAt = deadlineMs - 60 + random.nextInt(120);
            Thread t = new Thread(() -> {
                try {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(host, port), 5000);
                    Thread closer = new Thread(() -> {
                        try {
                            Thread.sleep(closeAt);
                            s.close();
                        } catch (Exception ignored) {
                            // racing the reaper: either may win
                        }
                    });
                    closer.start();
                    try {
                        s.getInputStream().read();
                    } catch (Exception expected) {
                        // closed by us or by the reaper
                    }
                    closer.join();
                } catch (Exception e) {
                    System.out.println("UNEXPECTED " + e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.println("DONE " + n);
        AgentView.printCounters();
        System.exit(0);
    }
}

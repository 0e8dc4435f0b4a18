package io.smtpwatchdog.it.child;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A host with its own per-domain limiter and the KB's slot leak: many threads deliver to several domains through
 * random healthy and tarpit peers, and a greeting that fails leaks the slot. The agent, given the declarations,
 * must give every leaked slot back exactly once. Usage: {@code host healthyPort tarpitPort threads perThread
 * [waitMillis [limit]]}: how long to wait for the leaked slots to come back before printing (30 s by default), and
 * the limiter's slots per domain (2 by default; more where nothing gives the leaked ones back).
 * Prints {@code LIMITER {domain=count...}}, {@code NEGATIVE n} and the agent's counters.
 */
public final class LimiterHost {
    /** The host's counter; declared to the agent as slotAcquire / slotRelease. */
    public static final class Limiter {
        private final Map<String, Integer> inUse = new HashMap<>();
        private final int limit;
        final AtomicInteger negative = new AtomicInteger();

        Limiter(int limit) {
            this.limit = limit;
        }

        public synchronized boolean acquire(String domain) {
            int n = inUse.getOrDefault(domain, 0);
            if (n >= limit) {
                return false;
            }
            inUse.put(domain, n + 1);
            return true;
        }

        public synchronized void release(String domain) {
            int n = inUse.getOrDefault(domain, 0) - 1;
            if (n < 0) {
                negative.incrementAndGet(); // released more often than taken
            }
            inUse.put(domain, n);
        }

        synchronized Map<String, Integer> snapshot() {
            return new HashMap<>(inUse);
        }

        synchronized int total() {
            return inUse.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** The host's delivery method; declared to the agent as delivery, domain in argument 0. */
    static boolean deliver(String domain, String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            InputStream in = s.getInputStream();
            GreetingClient.readReply(in); // no timeout of its own
            s.getOutputStream().write("QUIT\r\n".getBytes());
            GreetingClient.readReply(in);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    public static void main(String[] a) throws Exception {
        String host = a[0];
        int healthy = Integer.parseInt(a[1]);
        int tarpit = Integer.parseInt(a[2]);
        int threads = Integer.parseInt(a[3]);
        int perThread = Integer.parseInt(a[4]);
        AgentView.awaitLive();
        Limiter limiter = new Limiter(a.length > 6 ? Integer.parseInt(a[6]) : 2);
        String[] domains = {"a.example", "b.example", "c.example", "d.example"};
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random random = new Random(t);
            Thread w = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    String domain = domains[random.nextInt(domains.length)];
                    try {
                        while (!limiter.acquire(domain)) {
                            Thread.sleep(5);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (deliver(domain, host, random.nextBoolean() ? healthy : tarpit)) {
                        delivered.incrementAndGet();
                        limiter.release(domain);
                    } else {
                        failed.incrementAndGet(); // the KB's leak: this path forgets release()
                    }
                }
            }, "delivery-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        long waitMillis = a.length > 5 ? Long.parseLong(a[5]) : 30_000L;
        long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        while (limiter.total() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20); // the last leaked slots come back after the grace period
        }
        System.out.println("DELIVERED " + delivered + " FAILED " + failed);
        System.out.println("LIMITER " + limiter.snapshot());
        System.out.println("NEGATIVE " + limiter.negative.get());
        AgentView.printCounters();
        System.exit(0);
    }
}

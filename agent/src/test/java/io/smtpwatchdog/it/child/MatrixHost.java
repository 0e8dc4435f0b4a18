package io.smtpwatchdog.it.child;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A host that runs many scenarios ("rows") at once in one JVM, so a whole fault matrix costs one JVM start. Each row
 * delivers to a domain of its own through the host's own per-domain limiter, with the KB's slot leak: a greeting that
 * fails keeps its slot (a refused or timed-out connect gives it back, as the demo relay does). With the declarations
 * the agent must give every leaked slot back, and its counters for each row's domain must be exact.
 *
 * <p>Usage: {@code [--trigger file] row...}, a row being {@code name,domain,host,port,kind,soTimeoutMs,holdMs,count}
 * ({@link MatrixDelivery#deliver} for the kinds). With {@code --trigger} the host prints {@code READY} and waits for
 * the file, so an agent can be attached first. Prints {@code ROW name outcome} lines, then per domain
 * {@code SLOTS domain inUse}, {@code NEGATIVE n}, any {@code UNCAUGHT} exception, and the agent's counters.
 */
public final class MatrixHost {
    private static final LimiterHost.Limiter LIMITER = new LimiterHost.Limiter(1000);

    public static void main(String[] a) throws Exception {
        AtomicInteger uncaught = new AtomicInteger();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            uncaught.incrementAndGet();
            System.out.println("UNCAUGHT in " + t.getName() + ": " + GreetingClient.describe(e));
        });
        int first = 0;
        if (a.length > 1 && a[0].equals("--trigger")) {
            System.out.println("READY");
            while (!Files.exists(Path.of(a[1]))) {
                Thread.sleep(20);
            }
            first = 2;
        }
        AgentView.awaitLive();
        List<Thread> workers = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        for (int i = first; i < a.length; i++) {
            String[] row = a[i].split(",", -1);
            domains.add(row[1]);
            int count = Integer.parseInt(row[7]);
            for (int n = 0; n < count; n++) {
                Thread w = new Thread(() -> runRow(row), "delivery-" + row[0] + "-" + n);
                workers.add(w);
                w.start();
            }
        }
        for (Thread w : workers) {
            w.join();
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (LIMITER.total() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20); // leaked slots come back after the agent's grace period
        }
        for (String d : domains) {
            System.out.println("SLOTS " + d + " " + LIMITER.snapshot().getOrDefault(d, 0));
        }
        System.out.println("NEGATIVE " + LIMITER.negative.get());
        System.out.println("UNCAUGHT-TOTAL " + uncaught.get());
        AgentView.printCounters();
        System.exit(0);
    }

    /** One delivery of a row: take a slot, deliver, and give the slot back unless the greeting wait failed. */
    private static void runRow(String[] row) {
        String name = row[0];
        String domain = row[1];
        if (!LIMITER.acquire(domain)) {
            System.out.println("ROW " + name + " NO-SLOT");
            return;
        }
        long t0 = System.nanoTime();
        MatrixDelivery.Outcome o = MatrixDelivery.deliver(domain, row[2], Integer.parseInt(row[3]), row[4],
                Integer.parseInt(row[5]), Long.parseLong(row[6]));
        System.out.println("ROW " + name + " " + o.text + " after " + GreetingClient.ms(t0) + " ms");
        if (o.releases) {
            LIMITER.release(domain);
        }
    }
}

package io.smtpwatchdog.it.child;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A connect/close storm: many threads, released together, each delivering to random domains through the host's own
 * per-domain limiter, each domain served by one of several peers. A delivery ends one of three ways, so that closes
 * race greetings: a whole session (greeting, QUIT, 221), a close right after connect (still awaiting the greeting),
 * or a close right after the greeting without QUIT. The host always releases its slot. Usage:
 * {@code host port,port,... threads perThread domains [operator]}. With {@code operator}, a thread of the host plays
 * an operator at a JMX console all the while: it reads the Watchdog's {@code Connections} and calls
 * {@code closeConnection} on half of them, racing the host's own closes (a delivery it cuts short ends in a
 * SocketException, counted as {@code cut}, not failed). Prints {@code DID {domain=connections...}},
 * {@code STORM connections=n failed=n cut=n ms=n}, {@code OPERATOR closed=n}, {@code LIMITER}, {@code NEGATIVE} and
 * the agent's counters.
 */
public final class StormHost {
    /** The host's delivery method; declared to the agent as delivery, domain in argument 0. */
    static void deliver(String domain, String host, int port, int ending) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 10_000);
            if (ending == 0) {
                return; // closed while the agent still awaits its greeting
            }
            InputStream in = s.getInputStream();
            GreetingClient.readReply(in);
            if (ending == 1) {
                return; // closed in session, without QUIT
            }
            OutputStream out = s.getOutputStream();
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            GreetingClient.readReply(in);
        }
    }

    public static void main(String[] a) throws Exception {
        String host = a[0];
        String[] portList = a[1].split(",");
        int threads = Integer.parseInt(a[2]);
        int perThread = Integer.parseInt(a[3]);
        int domainCount = Integer.parseInt(a[4]);
        String[] domains = new String[domainCount];
        for (int i = 0; i < domainCount; i++) {
            domains[i] = "d" + i + ".example";
        }
        AgentView.awaitLive();
        LimiterHost.Limiter limiter = new LimiterHost.Limiter(8);
        AtomicIntegerArray did = new AtomicIntegerArray(domainCount);
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger cut = new AtomicInteger();
        boolean operator = a.length > 5 && a[5].equals("operator");
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random random = new Random(t);
            Thread w = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        int d = random.nextInt(domainCount);
                        while (!limiter.acquire(domains[d])) {
                            Thread.sleep(1);
                        }
                        try {
                            did.incrementAndGet(d);
                            deliver(domains[d], host, Integer.parseInt(portList[d % portList.length]),
                                    random.nextInt(3));
                        } catch (java.net.SocketException e) {
                            if (operator) {
                                cut.incrementAndGet(); // the operator closed it under the host
                            } else {
                                failed.incrementAndGet();
                                System.out.println("UNEXPECTED " + GreetingClient.describe(e));
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                            System.out.println("UNEXPECTED " + GreetingClient.describe(e));
                        } finally {
                            limiter.release(domains[d]);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "storm-" + t);
            workers.add(w);
            w.start();
        }
        OperatorConsole console = operator ? OperatorConsole.start() : null;
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        if (console != null) {
            System.out.println("OPERATOR closed=" + console.stop());
        }
        long ms = (System.nanoTime() - t0) / 1_000_000L;
        Map<String, Integer> byDomain = new TreeMap<>();
        for (int i = 0; i < domainCount; i++) {
            byDomain.put(domains[i], did.get(i));
        }
        // Closes are counted as they happen; nothing to wait for before reading the counters.
        System.out.println("DID " + byDomain);
        System.out.println("STORM connections=" + threads * perThread + " failed=" + failed + " cut=" + cut + " ms="
                + ms);
        System.out.println("LIMITER " + limiter.snapshot());
        System.out.println("NEGATIVE " + limiter.negative.get());
        AgentView.printCounters();
        System.exit(0);
    }

    private StormHost() {
    }
}

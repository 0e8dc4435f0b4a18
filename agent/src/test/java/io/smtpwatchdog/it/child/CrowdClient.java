package io.smtpwatchdog.it.child;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A legacy relay with a crowd of delivery threads stuck at once: connects {@code n} sockets, then blocks one thread in
 * each greeting read with no timeout. Usage: {@code host port n}. Prints {@code ENDED <count> SOCKET_EXCEPTIONS <count>
 * EARLIEST <ms> LATEST <ms>}, each connection timed from just before its own connect to the end of its read, then the
 * agent's counters.
 */
public final class CrowdClient {
    public static void main(String[] a) throws Exception {
        String host = a[0];
        int port = Integer.parseInt(a[1]);
        int n = Integer.parseInt(a[2]);
        AgentView.awaitLive();
        Socket[] sockets = new Socket[n];
        long[] connected = new long[n];
        for (int i = 0; i < n; i++) {
            sockets[i] = new Socket();
            connected[i] = System.nanoTime(); // before the agent's own connect time: no reap can look early
            sockets[i].connect(new InetSocketAddress(host, port), 10_000);
        }
        CountDownLatch ended = new CountDownLatch(n);
        AtomicInteger socketExceptions = new AtomicInteger();
        AtomicLong earliest = new AtomicLong(Long.MAX_VALUE);
        AtomicLong latest = new AtomicLong();
        for (int i = 0; i < n; i++) {
            Socket s = sockets[i];
            long t0 = connected[i];
            Thread t = new Thread(() -> {
                try {
                    s.getInputStream().read();
                } catch (java.net.SocketException e) {
                    socketExceptions.incrementAndGet();
                } catch (IOException ignored) {
                    // counted as ended, not as a SocketException
                }
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                earliest.accumulateAndGet(ms, Math::min);
                latest.accumulateAndGet(ms, Math::max);
                ended.countDown();
            }, "delivery-" + i);
            t.setDaemon(true);
            t.start();
        }
        ended.await(120, TimeUnit.SECONDS);
        System.out.println("ENDED " + (n - ended.getCount()) + " SOCKET_EXCEPTIONS " + socketExceptions.get()
                + " EARLIEST " + earliest.get() + " LATEST " + latest.get());
        AgentView.printCounters();
        System.exit(0);
    }
}

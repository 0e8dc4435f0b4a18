package io.smtpwatchdog.it.child;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A host that leaks sockets on a large scale: connects {@code total} sockets to one peer, reads the greeting on every
 * other one (so both in-session and awaiting connections are left behind), and drops them all without closing any.
 * Usage: {@code host port total batch}.
 *
 * <p>The sockets are dropped a batch at a time and the garbage collector is asked to run after each batch: a
 * dropped socket's file descriptor is only given back when the JDK's cleaner finds it unreachable, and the process
 * may hold 20,000. Prints {@code CHECKPOINT} (heap after GC once a tenth of the sockets is gone and counted),
 * {@code SOAK} (the same at the end, with the time taken and the file descriptors before and after) and the agent's
 * counters.
 */
public final class AbandonSoak {
    private static final long SETTLE_NANOS = 120_000_000_000L;

    public static void main(String[] a) throws Exception {
        InetSocketAddress peer = new InetSocketAddress(a[0], Integer.parseInt(a[1]));
        int total = Integer.parseInt(a[2]);
        int batchSize = Integer.parseInt(a[3]);
        AgentView.awaitLive();
        awaitMBeans();
        int fdsBefore = openFds();
        int checkpointAt = Math.max(batchSize, total / 10 / batchSize * batchSize);
        long firstHeap = -1;
        long t0 = System.nanoTime();
        Socket[] batch = new Socket[batchSize];
        int opened = 0;
        while (opened < total) {
            int n = Math.min(batchSize, total - opened);
            for (int i = 0; i < n; i++) {
                Socket s = new Socket();
                s.connect(peer, 10_000);
                if ((opened + i) % 2 == 0) {
                    GreetingClient.readReply(s.getInputStream());
                }
                batch[i] = s;
            }
            Arrays.fill(batch, null); // dropped, never closed
            opened += n;
            System.gc();
            awaitOpenAtMost(2L * batchSize);
            if (opened == checkpointAt) {
                firstHeap = settle(opened);
                System.out.println("CHECKPOINT sockets=" + opened + " heapAfterGc=" + firstHeap
                        + " ms=" + millis(t0));
            } else if (opened % Math.max(batchSize, total / 10) == 0) {
                System.out.println("PROGRESS sockets=" + opened + " ms=" + millis(t0) + " heap=" + heapUsed()
                        + " fds=" + openFds() + " " + AgentView.totals());
            }
        }
        long endHeap = settle(total);
        int fdsAfter = awaitFdsAtMost(fdsBefore + 10);
        System.out.println("SOAK sockets=" + total + " ms=" + millis(t0) + " firstHeap=" + firstHeap
                + " endHeap=" + endHeap + " fdsBefore=" + fdsBefore + " fdsAfter=" + fdsAfter);
        AgentView.printCounters();
        System.exit(0);
    }

    /**
     * Creates the platform MBeanServer, as a container would, and waits for the agent's MBeans: the agent otherwise
     * registers them 10 s after start, and that one-time growth of the heap would land between the checkpoints.
     */
    private static void awaitMBeans() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName watchdog = new ObjectName("smtpwatchdog:type=Watchdog");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!server.isRegistered(watchdog)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the agent registered no MBean within 60 s");
            }
            Thread.sleep(20);
        }
    }

    /** Bounds the sockets not yet found by the agent, and with them the file descriptors not yet given back. */
    private static void awaitOpenAtMost(long most) throws Exception {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        while (open() > most) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the agent still tracks " + open() + " dropped sockets");
            }
            Thread.sleep(10);
            System.gc();
        }
    }

    /** Collects until the agent has counted every dropped socket as abandoned; returns the heap used after GC. */
    private static long settle(long dropped) throws Exception {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        while (open() != 0 || count("abandoned") != dropped) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("after " + dropped + " dropped sockets: " + AgentView.totals());
            }
            System.gc();
            Thread.sleep(50);
        }
        System.gc();
        System.gc();
        return heapUsed();
    }

    /**
     * Waits for the JDK's cleaner to close the dropped sockets' file descriptors (it runs on a thread of its own,
     * after the collector), so the count shows the sockets are gone for real, not only from the agent's table.
     */
    private static int awaitFdsAtMost(int most) throws Exception {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        int fds;
        while ((fds = openFds()) > most && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(100);
        }
        return fds;
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long open() throws Exception {
        return count("open");
    }

    private static long count(String name) throws Exception {
        return ((Number) AgentView.totals().get(name)).longValue();
    }

    private static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    private static long millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000L;
    }

    private AbandonSoak() {
    }
}

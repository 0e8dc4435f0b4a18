package io.smtpwatchdog.rescue;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel's view of this very JVM: threads blocked in real socket reads, with and without a timeout. */
class BlockedReadsTest {
    @Test
    void findsReadersBlockedInReadAndInPollAndTellsASecondReadFromTheSameOne() throws Exception {
        BlockedReads reads = BlockedReads.forThisMachine();
        assertNotNull(reads, BlockedReads.whyNot());
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket timed = new Socket()) {
            timed.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5000);
            timed.setSoTimeout(60_000);
            Socket plainPeer = server.accept();
            Socket timedPeer = server.accept();
            Thread a = reader(plain);
            Thread b = reader(timed);
            Map<Integer, BlockedReads.Wait> first = awaitWaits(reads, 2);
            int before = first.size();
            assertTrue(before >= 2, "both readers seen: " + first.keySet());

            // Only the two readers: the sample also shows this very thread in a read, of the /proc file it reads.
            Map<Integer, BlockedReads.Wait> again = reads.sample();
            BlockedReads.Wait plainWait = waitOf(first, a);
            BlockedReads.Wait timedWait = waitOf(first, b);
            assertTrue(plainWait.sameAs(again.get(plainWait.fd)), "a reader that got nothing is in the same read");
            assertTrue(timedWait.sameAs(again.get(timedWait.fd)), "a reader that got nothing is in the same poll");
            // One byte to the blocking reader: it reads it and blocks again, which is not the same read.
            plainPeer.getOutputStream().write('x');
            plainPeer.getOutputStream().flush();
            BlockedReads.Wait later = null;
            for (int i = 0; i < 200 && (later == null || plainWait.sameAs(later)); i++) {
                Thread.sleep(10);
                later = reads.now(plainWait.tid);
            }
            assertNotNull(later, "blocked again");
            assertFalse(plainWait.sameAs(later), "a read that returned and blocked again is a new read");
            assertNull(reads.now(Integer.MAX_VALUE), "no such task");
            plainPeer.close();
            timedPeer.close();
            a.join(5000);
            b.join(5000);
        }
    }

    /** The wait of reader thread {@code t}: Java does not show its tid, but the JVM gives the task its name. */
    private static BlockedReads.Wait waitOf(Map<Integer, BlockedReads.Wait> waits, Thread t) throws Exception {
        for (BlockedReads.Wait w : waits.values()) {
            String comm = new String(java.nio.file.Files.readAllBytes(
                    java.nio.file.Path.of("/proc/self/task/" + w.tid + "/comm"))).trim();
            if (t.getName().equals(comm)) {
                return w;
            }
        }
        throw new AssertionError("no wait of " + t.getName() + " in " + waits.keySet());
    }

    private static Map<Integer, BlockedReads.Wait> awaitWaits(BlockedReads reads, int n) throws Exception {
        Map<Integer, BlockedReads.Wait> m = reads.sample();
        for (int i = 0; i < 300 && m.size() < n; i++) {
            Thread.sleep(10);
            m = reads.sample();
        }
        return m;
    }

    private static Thread reader(Socket s) throws InterruptedException, SocketException {
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                InputStream in = s.getInputStream();
                started.countDown();
                while (in.read() != -1) {
                    // read until the peer closes
                }
            } catch (Exception ignored) {
                // closed
            }
        }, s.getSoTimeout() > 0 ? "rd-timed" : "rd-plain"); // short: the kernel keeps 15 characters of a name
        t.setDaemon(true);
        t.start();
        started.await();
        return t;
    }
}

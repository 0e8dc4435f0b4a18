package io.smtpwatchdog.reap;

import io.smtpwatchdog.track.Policy;
import io.smtpwatchdog.track.Tracker;
import io.smtpwatchdog.track.TrackerAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reaper's decision, with real sockets to a real listener that never greets, fed to the tracker as the connect
 * hook would feed them: enforce closes; a forced monitor mode (a hook missing) and a TLS socket without TLS hooks
 * close nothing.
 */
class ReaperTest {
    private ServerSocket tarpit;
    private Socket client;
    private Reaper reaper;

    @BeforeEach
    void connect() throws Exception {
        tarpit = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        client = new Socket();
        client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tarpit.getLocalPort()), 2000);
    }

    @AfterEach
    void close() throws Exception {
        if (reaper != null) {
            reaper.stop();
        }
        client.close();
        tarpit.close();
    }

    private Tracker watch(Policy policy) {
        Tracker tracker = new Tracker(policy, 10);
        TrackerAccess.connected(tracker, client);
        reaper = new Reaper(tracker);
        reaper.start();
        return tracker;
    }

    private static void await(Tracker tracker, String counter, long value) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (tracker.totals().get(counter) != value) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(counter + " never reached " + value + ": " + tracker.totals());
            }
            Thread.sleep(10);
        }
    }

    /** The reaper counts a reap when it claims the connection, a moment before it closes the socket. */
    private void awaitClosed() throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!client.isClosed()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the reaper counted a reap but never closed the socket");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void enforceClosesTheOverdueSocket() throws Exception {
        Tracker tracker = watch(new Policy(new int[] {tarpit.getLocalPort()}, 200, true));
        await(tracker, "reaped", 1);
        awaitClosed();
        TrackerAccess.closed(tracker, client); // as the close hook would report the reaper's own close
        Map<String, Long> t = tracker.totals();
        assertEquals(1, t.get("closes"));
        assertEquals(0, t.get("open"));
    }

    @Test
    void aDestinationsOwnTimeoutAppliesToConnectionsOpenedAfterItWasSet() throws Exception {
        // Issue "Operator-ready", defect 1: a new connection took the global timeout whatever its destination had.
        Policy policy = new Policy(new int[] {tarpit.getLocalPort()}, 3_600_000, true);
        String destination = ((InetSocketAddress) client.getRemoteSocketAddress()).getHostString();
        policy.destinationBannerTimeoutMillis(destination, 300);
        long start = System.nanoTime();
        Tracker tracker = watch(policy);
        await(tracker, "reaped", 1); // within 20 s, where the global timeout is an hour
        assertTrue(System.nanoTime() - start >= 300_000_000L, "not before its own deadline");
        awaitClosed();
    }

    @Test
    void aForcedMonitorModeClosesNothing() throws Exception {
        Policy policy = new Policy(new int[] {tarpit.getLocalPort()}, 200, true);
        policy.forceMonitor("the read hook did not fire");
        Tracker tracker = watch(policy);
        await(tracker, "overdue", 1);
        Thread.sleep(1500); // at least one more look by the reaper
        assertFalse(client.isClosed());
        assertEquals(0, tracker.totals().get("reaped"));
        assertEquals(1, tracker.totals().get("overdue"), "counted once however often it is looked at");
    }

    @Test
    void switchingMonitorToEnforceReapsWhatWasOnlyReported() throws Exception {
        Policy policy = new Policy(new int[] {tarpit.getLocalPort()}, 200, false);
        Tracker tracker = watch(policy);
        await(tracker, "overdue", 1);
        assertFalse(client.isClosed());
        policy.enforce(true);
        await(tracker, "reaped", 1);
        awaitClosed();
    }
}

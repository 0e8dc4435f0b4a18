package io.smtpwatchdog.hook;

import io.smtpwatchdog.track.Tracker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Proves at startup that the connect, read and close hooks fire, by driving a {@link ProbeSocket} through them, and
 * that a {@code SocketChannel}'s do (without a network; see {@link #channels}).
 * Returns what is missing; the installer then keeps the watchdog in monitor mode, because reaping connections whose
 * greeting it cannot see would cut healthy sessions.
 */
final class SelfTest {
    private static final Logger LOG = LoggerFactory.getLogger("smtp-watchdog");
    private static final byte[] PROBE_COMMAND = {'N', 'O', 'O', 'P', '\r', '\n'};

    private SelfTest() {
    }

    static List<String> run(Tracker tracker, Hooks hooks) {
        // Channels first: whoever waits for the socket read hook's "verified" then finds channels decided too.
        channels(tracker, hooks);
        List<String> missing = new ArrayList<String>();
        try {
            Socket probe = new ProbeSocket();
            tracker.probe(probe);
            try {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 25), 1000);
                InputStream in = probe.getInputStream();
                in.read(new byte[64], 0, 64);
                probe.getOutputStream().write(PROBE_COMMAND, 0, PROBE_COMMAND.length);
            } finally {
                probe.close();
                tracker.probe(null);
            }
        } catch (Throwable t) {
            missing.add("the self-test probe failed: " + t);
            return missing;
        }
        int seen = tracker.probeSeen();
        check(missing, hooks, Hook.CONNECT, (seen & Tracker.SAW_CONNECT) != 0);
        check(missing, hooks, Hook.CLOSE, (seen & Tracker.SAW_CLOSE) != 0);
        if ((seen & Tracker.SAW_READ) != 0) {
            hooks.set(Hook.READ, "verified");
        } else if (!hasWrappedStreams() && hooks.installed(Hook.LEGACY_READ)) {
            // JDK 8-12 hand out the implementation's own stream, so a probe cannot reach the read hook there:
            // the install listener's word is all there is.
            hooks.set(Hook.LEGACY_READ, "installed (a probe cannot reach it on this JDK)");
        } else {
            missing.add("the read hook did not fire (" + hooks.states().get(Hook.READ.label) + ")");
        }
        replies(tracker, hooks, (seen & Tracker.SAW_WRITE) != 0);
        return missing;
    }

    /**
     * Channel connections are tracked only once a real {@code SocketChannel} has shown its connect, finishConnect and
     * close hooks firing, without a network: its connect to an unresolved address and its finishConnect with nothing
     * pending both fail at once, and it is closed. Its reads and writes need a connection, which the agent does not
     * open: for them the install listener's word stands. Missing channel hooks leave channels untracked, said once;
     * sockets are guarded as before.
     */
    private static void channels(Tracker tracker, Hooks hooks) {
        String failed = null;
        try (SocketChannel probe = SocketChannel.open()) {
            tracker.probe(probe);
            try {
                probe.connect(InetSocketAddress.createUnresolved("probe.invalid", 25));
            } catch (Exception expected) {
                // UnresolvedAddressException, seen by the hook on its way out
            }
            try {
                probe.finishConnect();
            } catch (Exception expected) {
                // NoConnectionPendingException, likewise
            }
        } catch (Throwable t) {
            failed = "the channel probe failed: " + t;
        } finally {
            tracker.probe(null);
        }
        int seen = tracker.probeSeen();
        List<String> missing = new ArrayList<String>();
        if (failed != null) {
            missing.add(failed);
        }
        check(missing, hooks, Hook.CHANNEL_CONNECT, (seen & Tracker.SAW_CHANNEL_CONNECT) != 0);
        check(missing, hooks, Hook.CHANNEL_FINISH, (seen & Tracker.SAW_CHANNEL_FINISH) != 0);
        check(missing, hooks, Hook.CHANNEL_CLOSE, (seen & Tracker.SAW_CHANNEL_CLOSE) != 0);
        if (!hooks.installed(Hook.CHANNEL_READ)) {
            missing.add("the channel-read hook is not installed (" + hooks.states().get(Hook.CHANNEL_READ.label) + ")");
        }
        if (missing.isEmpty()) {
            tracker.policy().channelsVisible(true);
        } else {
            LOG.warn("SocketChannel connections are not tracked (Vert.x, Netty, NIO clients): {}; sockets are guarded "
                    + "as before", String.join("; ", missing));
        }
    }

    /**
     * Reply deadlines need the write hook: without it no command is seen, so none is awaited and nothing is reaped
     * after the greeting. That is safe, and said once, but it is not a reason to stop guarding greetings.
     */
    private static void replies(Tracker tracker, Hooks hooks, boolean fired) {
        if (fired) {
            hooks.set(Hook.WRITE, "verified");
        } else if (!hasWrappedStreams() && hooks.installed(Hook.LEGACY_WRITE)) {
            hooks.set(Hook.LEGACY_WRITE, "installed (a probe cannot reach it on this JDK)");
        } else {
            LOG.warn("reply deadlines are off: the write hook did not fire ({}); greetings are still guarded",
                    hooks.states().get(Hook.WRITE.label));
            return;
        }
        tracker.policy().repliesVisible(true);
    }

    private static void check(List<String> missing, Hooks hooks, Hook hook, boolean fired) {
        if (fired) {
            hooks.set(hook, "verified");
        } else {
            missing.add("the " + hook.label + " hook did not fire (" + hooks.states().get(hook.label) + ")");
        }
    }

    /** JDK 13 and later wrap every socket stream in {@code Socket$SocketInputStream}. */
    private static boolean hasWrappedStreams() {
        try {
            Class.forName("java.net.Socket$SocketInputStream", false, null);
            return true;
        } catch (Throwable t) {
            return false;
        }
    }
}

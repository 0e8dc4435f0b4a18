package io.smtpwatchdog.hook;

import io.smtpwatchdog.track.Tracker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Proves at startup that the connect, read and close hooks fire, by driving a {@link ProbeSocket} through them.
 * Returns what is missing; the installer then keeps the watchdog in monitor mode, because reaping connections whose
 * greeting it cannot see would cut healthy sessions.
 */
final class SelfTest {
    private static final Logger LOG = LoggerFactory.getLogger("smtp-watchdog");
    private static final byte[] PROBE_COMMAND = {'N', 'O', 'O', 'P', '\r', '\n'};

    private SelfTest() {
    }

    static List<String> run(Tracker tracker, Hooks hooks) {
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

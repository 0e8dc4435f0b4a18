package io.smtpwatchdog.track;

import io.smtpwatchdog.config.Declaration;
import io.smtpwatchdog.config.Options;

import java.net.Socket;
import java.util.Collections;
import java.util.Properties;

/** Lets tests in other packages drive the tracker exactly as the hooks do, with real sockets. */
public final class TrackerAccess {
    private TrackerAccess() {
    }

    /** A tracker on port 25 with a 1-minute deadline and the declarations of the agent argument {@code options}. */
    public static Tracker withDeclarations(String options) throws Exception {
        Tracker t = new Tracker(new Policy(new int[] {25}, 60_000, true), 10);
        t.attribution().declarations(Options.resolve(options, new Properties(), Collections.<String, String>emptyMap())
                .declarations());
        return t;
    }

    /** The index the installer gives the first declaration of {@code kind}, as its advice passes it. */
    public static int index(Tracker t, Declaration.Kind kind) {
        for (int i = 0; i < t.attribution().declarations().size(); i++) {
            if (t.attribution().declarations().get(i).kind() == kind) {
                return i;
            }
        }
        throw new AssertionError("no " + kind);
    }

    public static void connected(Tracker t, Socket s) {
        t.onConnect(s, s.getRemoteSocketAddress(), null);
    }

    public static void closed(Tracker t, Socket s) {
        t.onClose(s);
    }

    /** As the hook of a declared {@code boolean slotAcquire(String domain)} that returned {@code acquired}. */
    public static void acquired(Tracker t, Object owner, String domain, int declaration, boolean acquired) {
        t.onAcquire(owner, new Object[] {domain}, declaration, "boolean", acquired, null);
    }

    /** As the hook of a declared {@code slotRelease(String domain)}; true if the host's call is to be skipped. */
    public static boolean released(Tracker t, Object owner, String domain, int declaration) {
        return t.onRelease(owner, new Object[] {domain}, declaration);
    }
}

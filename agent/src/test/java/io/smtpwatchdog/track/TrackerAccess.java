package io.smtpwatchdog.track;

import java.net.Socket;

/** Lets tests in other packages drive the tracker exactly as the hooks do, with real sockets. */
public final class TrackerAccess {
    private TrackerAccess() {
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

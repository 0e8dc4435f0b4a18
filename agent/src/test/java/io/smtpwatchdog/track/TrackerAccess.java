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
}

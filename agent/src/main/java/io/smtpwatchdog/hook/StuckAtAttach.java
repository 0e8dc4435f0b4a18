package io.smtpwatchdog.hook;

import io.smtpwatchdog.track.AgentThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lists, when the agent is attached to a running JVM, the host threads already blocked in a socket read.
 *
 * <p>A read that began before the hooks were installed runs the old code, and an attached agent has no reference to
 * its socket: nothing in the JDK lets it close that socket, so those threads stay where they are until the host ends
 * the read or restarts. Naming them is what can be done; new connections are watched.
 */
final class StuckAtAttach {
    private static final Logger LOG = LoggerFactory.getLogger("smtp-watchdog");
    private static final String[] READ_FRAMES = {
        "java.net.Socket$SocketInputStream.read", "java.net.SocketInputStream.read", "sun.nio.ch.NioSocketImpl.read",
        "java.net.SocketInputStream.socketRead0"};

    private StuckAtAttach() {
    }

    /** Logs each blocked thread once; returns their names. */
    static List<String> report() {
        List<String> names = new ArrayList<String>();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            if (t instanceof AgentThread || !inSocketRead(e.getValue())) {
                continue;
            }
            names.add(t.getName());
            LOG.warn("thread '{}' was already blocked in a socket read when the agent was attached (at {}); a "
                    + "connection opened before the attach is not watched, and only the host or a restart can end "
                    + "that read", t.getName(), firstHostFrame(e.getValue()));
        }
        if (!names.isEmpty()) {
            LOG.warn("{} host thread(s) blocked in socket reads before the attach: {}", names.size(), names);
        }
        return names;
    }

    private static boolean inSocketRead(StackTraceElement[] stack) {
        for (StackTraceElement f : stack) {
            String frame = f.getClassName() + "." + f.getMethodName();
            for (String read : READ_FRAMES) {
                if (frame.equals(read)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String firstHostFrame(StackTraceElement[] stack) {
        for (StackTraceElement f : stack) {
            String c = f.getClassName();
            if (!c.startsWith("java.") && !c.startsWith("sun.") && !c.startsWith("jdk.")) {
                return f.toString();
            }
        }
        return stack.length > 0 ? stack[0].toString() : "?";
    }
}

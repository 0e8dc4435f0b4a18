package io.smtpwatchdog.track;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The servers a mail client opened connections to, and the destination each connection being opened is for.
 *
 * <p>A reactive client (the Vert.x mail client) decides to open a connection inside a send, where the recipients are
 * known, but connects later, in an event-loop task no send encloses. So the decision is remembered here, per server,
 * in order: the next connection to that server takes the oldest destination waiting. A connection to a server a mail
 * client named is SMTP whatever its port.
 *
 * <p>Bounded: at most {@link #MAX_SERVERS} servers and {@link #MAX_WAITING} destinations waiting per server (a
 * client that decided to connect and never did, say its name did not resolve, leaves one behind; the oldest go
 * first).
 */
final class MailServers {
    /** A host that makes mail clients in a loop, each for another server, stops being learned from here. */
    static final int MAX_SERVERS = 64;
    static final int MAX_WAITING = 16;
    /** What a connection is counted under when the send that opened it is not known. */
    private static final String UNKNOWN = "";

    /** By {@code host:port} as the client named it: the destinations of its connections being opened, oldest first. */
    private final ConcurrentHashMap<String, ConcurrentLinkedQueue<String>> servers =
            new ConcurrentHashMap<String, ConcurrentLinkedQueue<String>>();

    /**
     * A mail client is opening a connection to {@code host}:{@code port} for {@code destination} (null when its send
     * is not known). False when {@link #MAX_SERVERS} other servers are known already.
     */
    boolean opening(String host, int port, String destination) {
        String key = host + ":" + port;
        ConcurrentLinkedQueue<String> waiting = servers.get(key);
        if (waiting == null) {
            if (servers.size() >= MAX_SERVERS) {
                return false;
            }
            ConcurrentLinkedQueue<String> fresh = new ConcurrentLinkedQueue<String>();
            waiting = servers.putIfAbsent(key, fresh);
            if (waiting == null) {
                waiting = fresh;
            }
        }
        waiting.add(destination == null ? UNKNOWN : destination);
        while (waiting.size() > MAX_WAITING) {
            waiting.poll();
        }
        return true;
    }

    /** Whether a mail client named the server at {@code remote} (by the name it was given, or by its address). */
    boolean knows(InetSocketAddress remote) {
        return queueOf(remote) != null;
    }

    /**
     * The destination the connection just made to {@code remote} was opened for, taken from the server's line; null
     * when it is not known (the connection then counts under its host name).
     */
    String next(InetSocketAddress remote) {
        ConcurrentLinkedQueue<String> waiting = queueOf(remote);
        String d = waiting == null ? null : waiting.poll();
        return d == null || d.isEmpty() ? null : d;
    }

    private ConcurrentLinkedQueue<String> queueOf(InetSocketAddress remote) {
        if (servers.isEmpty()) {
            return null;
        }
        ConcurrentLinkedQueue<String> q = servers.get(remote.getHostString() + ":" + remote.getPort());
        if (q == null) {
            InetAddress a = remote.getAddress();
            q = a == null ? null : servers.get(a.getHostAddress() + ":" + remote.getPort());
        }
        return q;
    }
}

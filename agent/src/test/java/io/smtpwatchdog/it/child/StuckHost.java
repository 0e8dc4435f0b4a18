package io.smtpwatchdog.it.child;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A mail server's delivery threads, stuck before any agent is there: each named thread connects and blocks reading
 * its greeting; the healthy one holds a session and keeps it busy with NOOPs. Prints {@code BLOCKED} once every
 * thread is in its read, one {@code FAILED|GREETED|EOF <thread> ...} line per thread as its read ends, then
 * {@code DONE fds=<before>-><after>} after closing everything.
 *
 * <p>Usage: {@code host (<kind>:<port>)...} where kind is {@code plain} (no timeout: the reader is in read(2)),
 * {@code timed} (a read timeout of 10 minutes: the reader waits in poll(2)), {@code virtual} (a virtual thread,
 * JDK 21+), {@code healthy} (a session that sends NOOP twice a second until the others are done), or {@code churn}
 * (a thread that, until the others are done, connects, reads one byte and drops the socket without closing it,
 * over and over: sockets for the collector to reclaim while the agent's sweeps run). Prints the agent's counters
 * ({@code TOTALS}) at the end when an agent is there. {@code hold:<ms>} keeps the churn going that long after the
 * stuck threads are done.
 */
public final class StuckHost {
    private static volatile boolean othersDone;

    public static void main(String[] a) throws Exception {
        String host = a[0];
        long fdsBefore = fds();
        boolean agentLive;
        try {
            agentLive = AgentView.tracker() != null;
        } catch (ClassNotFoundException noAgent) {
            agentLive = false;
        }
        System.out.println("CONNECTING agentLive=" + agentLive); // false: the hooks cannot have seen these connects
        List<Thread> waiting = new ArrayList<>();
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        List<Socket> sockets = new ArrayList<>();
        Thread healthy = null;
        for (int i = 1; i < a.length; i++) {
            String kind = a[i].substring(0, a[i].indexOf(':'));
            int port = Integer.parseInt(a[i].substring(a[i].indexOf(':') + 1));
            if (kind.equals("hold")) {
                holdMillis = port;
                continue;
            }
            if (!kind.equals("churn")) {
                ports.add(port);
            }
            if (kind.equals("churn")) {
                Thread churn = new Thread(() -> churn(host, port), "churn-" + i);
                churn.setDaemon(true);
                churn.start();
                continue;
            }
            Socket s = new Socket();
            if (kind.equals("timed")) {
                s.connect(new InetSocketAddress(host, port), 10_000);
                s.setSoTimeout(600_000);
            } else {
                s.connect(new InetSocketAddress(host, port));
            }
            sockets.add(s);
            String name = kind + "-" + i;
            Runnable body = kind.equals("healthy") ? () -> session(name, s) : () -> greeting(name, s);
            Thread t = kind.equals("virtual") ? virtual(name, body) : new Thread(body, name);
            if (kind.equals("healthy")) {
                healthy = t;
            } else {
                waiting.add(t);
            }
            if (!kind.equals("virtual")) {
                t.start();
            }
        }
        Thread.sleep(500); // every reader is in its read by now
        System.out.println("BLOCKED pid=" + ProcessHandle.current().pid() + " sockets=" + peerSockets(ports));
        for (Thread t : waiting) {
            t.join();
        }
        Thread.sleep(holdMillis);
        othersDone = true;
        if (healthy != null) {
            healthy.join();
        }
        for (Socket s : sockets) {
            s.close();
        }
        System.out.println("DONE fds=" + fdsBefore + "->" + fds() + " sockets=" + peerSockets(ports) + " churned="
                + churned.get() + " hostSeesSunNioCh=" + Object.class.getModule().isOpen("sun.nio.ch", StuckHost.class.getModule()));
        try {
            AgentView.printCounters();
        } catch (ClassNotFoundException noAgent) {
            System.out.println("TOTALS none");
        }
    }

    private static final java.util.concurrent.atomic.AtomicLong churned = new java.util.concurrent.atomic.AtomicLong();
    private static long holdMillis;

    private static void churn(String host, int port) {
        byte[] b = new byte[1];
        while (!othersDone) {
            try {
                Socket s = new Socket(host, port);
                s.getInputStream().read(b);
                // dropped, never closed: the JDK's Cleaner closes it once the collector finds it unreachable
                if (churned.incrementAndGet() % 2000 == 0) {
                    System.gc(); // a collection, and Cleaner entries reclaimed, during the agent's looks; and fds back
                }
            } catch (Exception e) {
                System.out.println("CHURN " + e);
            }
        }
    }

    private static void greeting(String name, Socket s) {
        try {
            InputStream in = s.getInputStream();
            byte[] b = new byte[512];
            int n = in.read(b);
            System.out.println(n < 0 ? "EOF " + name
                    : "GREETED " + name + " " + new String(b, 0, n, StandardCharsets.US_ASCII).trim());
        } catch (Exception e) {
            System.out.println("FAILED " + name + " " + e.getClass().getName() + ": " + e.getMessage());
        }
    }

    private static void session(String name, Socket s) {
        try {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] b = new byte[512];
            in.read(b); // greeting
            int replies = 0;
            while (!othersDone) {
                out.write("NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (in.read(b) > 0) {
                    replies++;
                }
                Thread.sleep(500);
            }
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            System.out.println("HEALTHY " + name + " replies=" + replies);
        } catch (Exception e) {
            System.out.println("FAILED " + name + " " + e.getClass().getName() + ": " + e.getMessage());
        }
    }

    /** Thread.ofVirtual().name(name).start(body), by reflection: this class compiles for Java 17. */
    private static Thread virtual(String name, Runnable body) throws Exception {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Class<?> type = Class.forName("java.lang.Thread$Builder");
        builder = type.getMethod("name", String.class).invoke(builder, name);
        Method start = type.getMethod("start", Runnable.class);
        return (Thread) start.invoke(builder, body);
    }

    /**
     * This process's fds that are TCP sockets to one of {@code ports}: its inode's row in /proc/self/net/tcp(6)
     * names that remote port. Sockets the agent or the JMX connector open are not counted.
     */
    private static long peerSockets(java.util.Set<Integer> ports) throws Exception {
        java.util.Set<String> inodes = new java.util.HashSet<>();
        for (String table : new String[] {"/proc/self/net/tcp", "/proc/self/net/tcp6"}) {
            for (String row : java.nio.file.Files.readAllLines(java.nio.file.Path.of(table))) {
                String[] f = row.trim().split("\\s+");
                if (f.length > 9 && f[2].contains(":")) {
                    int remotePort = Integer.parseInt(f[2].substring(f[2].lastIndexOf(':') + 1), 16);
                    if (ports.contains(remotePort)) {
                        inodes.add(f[9]);
                    }
                }
            }
        }
        long n = 0;
        File[] fds = new File("/proc/self/fd").listFiles();
        for (File fd : fds == null ? new File[0] : fds) {
            try {
                String link = java.nio.file.Files.readSymbolicLink(fd.toPath()).toString();
                if (link.startsWith("socket:[") && inodes.contains(link.substring(8, link.length() - 1))) {
                    n++;
                }
            } catch (java.io.IOException gone) {
                // closed while listed
            }
        }
        return n;
    }

    private static long fds() {
        String[] list = new File("/proc/self/fd").list();
        return list == null ? -1 : list.length;
    }
}

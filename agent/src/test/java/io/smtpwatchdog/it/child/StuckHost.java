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
 * JDK 21+), or {@code healthy} (a session that sends NOOP twice a second until the others are done).
 */
public final class StuckHost {
    private static volatile boolean othersDone;

    public static void main(String[] a) throws Exception {
        String host = a[0];
        long fdsBefore = fds();
        List<Thread> waiting = new ArrayList<>();
        List<Socket> sockets = new ArrayList<>();
        Thread healthy = null;
        for (int i = 1; i < a.length; i++) {
            String kind = a[i].substring(0, a[i].indexOf(':'));
            int port = Integer.parseInt(a[i].substring(a[i].indexOf(':') + 1));
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
        System.out.println("BLOCKED pid=" + ProcessHandle.current().pid());
        for (Thread t : waiting) {
            t.join();
        }
        othersDone = true;
        if (healthy != null) {
            healthy.join();
        }
        for (Socket s : sockets) {
            s.close();
        }
        System.out.println("DONE fds=" + fdsBefore + "->" + fds());
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

    private static long fds() {
        String[] list = new File("/proc/self/fd").list();
        return list == null ? -1 : list.length;
    }
}

package io.smtpwatchdog.it.child;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Measures what the reading thread allocates for {@code reads} reads on a socket whose greeting has been seen, while
 * another tracked connection awaits its greeting (so every read walks the agent's table). Usage:
 * {@code host streamPort tarpitPort reads agent|none}. Prints {@code ALLOCATED <bytes> <reads>}.
 */
public final class HotPathClient {
    public static void main(String[] a) throws Exception {
        String host = a[0];
        int reads = Integer.parseInt(a[3]);
        if (a[4].equals("agent")) {
            AgentView.awaitLive();
        }
        Socket waiting = new Socket();
        waiting.connect(new InetSocketAddress(host, Integer.parseInt(a[2])), 5000);
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, Integer.parseInt(a[1])), 5000);
        InputStream in = s.getInputStream();
        GreetingClient.readReply(in);
        byte[] buf = new byte[64];
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < reads; i++) { // warm-up: let the JIT settle both paths
            readFully(in, buf);
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < reads; i++) {
            readFully(in, buf);
        }
        long after = threads.getThreadAllocatedBytes(id);
        System.out.println("ALLOCATED " + (after - before) + " " + reads);
        if (a[4].equals("agent")) {
            AgentView.printCounters();
        }
        s.close();
        waiting.close();
        System.exit(0);
    }

    private static void readFully(InputStream in, byte[] buf) throws Exception {
        for (int off = 0; off < buf.length; ) {
            int n = in.read(buf, off, buf.length - off);
            if (n < 0) {
                throw new java.io.EOFException();
            }
            off += n;
        }
    }
}

package io.smtpwatchdog.it.child;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Measures what a session's commands and replies cost the host in allocation: after the greeting, {@code rounds}
 * NOOPs, each written and its reply read, on a tracked connection (so each write starts a reply wait and each reply
 * ends it). Usage: {@code host port rounds agent|none}. Prints {@code ALLOCATED <bytes> <rounds>}.
 */
public final class CommandLoopClient {
    private static final byte[] NOOP = "NOOP\r\n".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] a) throws Exception {
        int rounds = Integer.parseInt(a[2]);
        if (a[3].equals("agent")) {
            AgentView.awaitLive();
        }
        Socket s = new Socket();
        s.connect(new InetSocketAddress(a[0], Integer.parseInt(a[1])), 5000);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        GreetingClient.readReply(in);
        byte[] buf = new byte[64];
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < rounds; i++) { // warm-up: let the JIT settle both paths
            round(in, out, buf);
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < rounds; i++) {
            round(in, out, buf);
        }
        long after = threads.getThreadAllocatedBytes(id);
        System.out.println("ALLOCATED " + (after - before) + " " + rounds);
        if (a[3].equals("agent")) {
            AgentView.printCounters();
        }
        s.close();
        System.exit(0);
    }

    /** One NOOP and its one-line reply, read up to its LF into {@code buf}. */
    private static void round(InputStream in, OutputStream out, byte[] buf) throws Exception {
        out.write(NOOP, 0, NOOP.length);
        int n = 0;
        while (n == 0 || buf[n - 1] != '\n') {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                throw new java.io.EOFException();
            }
            n += r;
        }
    }
}

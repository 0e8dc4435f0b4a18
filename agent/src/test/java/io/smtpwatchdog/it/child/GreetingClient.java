package io.smtpwatchdog.it.child;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A legacy SMTP client: connects, reads the greeting with no deadline of its own (or the given SO_TIMEOUT), holds the
 * session a while, says QUIT and closes. Usage: {@code host port plain|tls-direct|tls-layered soTimeoutMs holdMs}.
 * Prints {@code GREETING <line> after <ms>} or {@code FAILED <exception> after <ms>}, then the agent's counters.
 */
public final class GreetingClient {
    public static void main(String[] a) throws Exception {
        String host = a[0];
        int port = Integer.parseInt(a[1]);
        String kind = a[2];
        int soTimeout = Integer.parseInt(a[3]);
        long holdMs = Long.parseLong(a[4]);
        AgentView.awaitLive();
        long t0 = System.nanoTime();
        Socket s = null;
        try {
            s = connect(host, port, kind);
            s.setSoTimeout(soTimeout);
            String greeting = readReply(s.getInputStream());
            System.out.println("GREETING " + greeting + " after " + ms(t0) + " ms");
            Thread.sleep(holdMs);
            OutputStream out = s.getOutputStream();
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            System.out.println("QUIT " + readReply(s.getInputStream()));
        } catch (Exception e) {
            System.out.println("FAILED " + e.getClass().getName() + ": " + e.getMessage() + " after " + ms(t0) + " ms");
        } finally {
            if (s != null) {
                s.close();
            }
        }
        AgentView.printCounters();
        System.exit(0);
    }

    static Socket connect(String host, int port, String kind) throws Exception {
        SSLSocketFactory tls = (SSLSocketFactory) SSLSocketFactory.getDefault();
        switch (kind) {
            case "plain": {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(host, port), 5000);
                return s;
            }
            case "tls-direct": {
                SSLSocket s = (SSLSocket) tls.createSocket();
                s.connect(new InetSocketAddress(host, port), 5000);
                return s;
            }
            case "tls-layered": {
                Socket plain = new Socket();
                plain.connect(new InetSocketAddress(host, port), 5000);
                return tls.createSocket(plain, host, port, true);
            }
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    /** Reads one whole SMTP reply, multi-line included, and returns its last line. */
    static String readReply(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c == -1) {
                throw new java.io.EOFException("connection closed by the peer after '" + line + "'");
            }
            if (c == '\n') {
                String l = line.toString().trim();
                if (l.length() >= 4 && l.charAt(3) == ' ' || l.length() == 3) {
                    return l;
                }
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
    }

    /** An exception and its cause on one line: mail exceptions put their nested exception on lines of their own. */
    static String describe(Throwable e) {
        Throwable cause = e.getCause();
        String s = e.getClass().getName() + ": " + e.getMessage() + (cause == null || cause == e ? ""
                : " (cause " + cause.getClass().getName() + ": " + cause.getMessage() + ")");
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    /** Prints {@code FAILED <kind> <exception> after <ms> ms}, on one line. */
    static void printFailed(String kind, Throwable e, long t0) {
        System.out.println("FAILED " + kind + " " + describe(e) + " after " + ms(t0) + " ms");
    }

    static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000L;
    }
}

package io.smtpwatchdog.it.child;

import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A hand-written blocking SMTP client that pipelines (RFC 2920), on a plain socket with no read timeout: connect,
 * greeting, EHLO, then {@code MAIL FROM}, two {@code RCPT TO} and {@code DATA} in one write, their four replies, a
 * short message and its lone dot, QUIT. Usage: {@code host port [rcpt1 rcpt2]} (default {@code x@one.example} and
 * {@code y@one.example}). Prints {@code REPLY <command> <code> after <ms> ms} for each reply, the commands being
 * GREETING, EHLO, MAIL, RCPT, RCPT, DATA, DOT and QUIT, then {@code DONE}; or {@code FAILED <exception class>:
 * <message> after <ms> ms} when the connection breaks under it; then the agent's counters. The times count from the
 * start of the connect.
 */
public final class PipeliningClient {
    public static void main(String[] a) throws Exception {
        String host = a[0];
        int port = Integer.parseInt(a[1]);
        String rcpt1 = a.length > 2 ? a[2] : "x@one.example";
        String rcpt2 = a.length > 3 ? a[3] : "y@one.example";
        AgentView.awaitLive();
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 10000); // the connect only: no read timeout
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            reply(in, "GREETING", t0);
            write(out, "EHLO client.example\r\n");
            reply(in, "EHLO", t0);
            write(out, "MAIL FROM:<a@client.example>\r\nRCPT TO:<" + rcpt1 + ">\r\nRCPT TO:<" + rcpt2 + ">\r\n"
                    + "DATA\r\n");
            reply(in, "MAIL", t0);
            reply(in, "RCPT", t0);
            reply(in, "RCPT", t0);
            if (reply(in, "DATA", t0).startsWith("354")) {
                write(out, "Subject: smtp-watchdog pipelining test\r\n\r\nHello, pipelined.\r\n.\r\n");
                reply(in, "DOT", t0);
            }
            write(out, "QUIT\r\n");
            reply(in, "QUIT", t0);
            System.out.println("DONE");
        } catch (Exception e) {
            System.out.println("FAILED " + e.getClass().getName() + ": " + e.getMessage() + " after "
                    + GreetingClient.ms(t0) + " ms");
        }
        AgentView.printCounters();
        System.exit(0);
    }

    private static void write(OutputStream out, String text) throws Exception {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one whole reply, prints its {@code REPLY} line and returns its last line. */
    private static String reply(InputStream in, String command, long t0) throws Exception {
        String last = GreetingClient.readReply(in);
        if (last.length() < 3) {
            throw new EOFException("no reply code in '" + last + "'");
        }
        System.out.println("REPLY " + command + " " + last.substring(0, 3) + " after " + GreetingClient.ms(t0) + " ms");
        return last;
    }
}

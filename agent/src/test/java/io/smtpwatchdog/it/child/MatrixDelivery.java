package io.smtpwatchdog.it.child;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The delivery method of {@link MatrixHost}, declared to the agent ({@code delivery=...#deliver(java.lang.String,..)@0})
 * so that each row's connections count under the row's own domain, whatever the port. One connection, one greeting
 * wait with no deadline of the host's own (or {@code soTimeoutMs}), the session held {@code holdMs}, then QUIT.
 */
public final class MatrixDelivery {
    /** What one delivery came to, and whether the host's code path gives its slot back. */
    static final class Outcome {
        final String text;
        final boolean releases;

        Outcome(String text, boolean releases) {
            this.text = text;
            this.releases = releases;
        }
    }

    private MatrixDelivery() {
    }

    /**
     * Kinds: {@code plain}, {@code tls-direct} and {@code tls-layered} (implicit TLS, as {@link GreetingClient}),
     * {@code starttls} (greeting and EHLO in clear, then STARTTLS, the TLS handshake and EHLO again) and
     * {@code race:<ms>} (another thread of the host closes the socket about {@code ms} after the connect, give or take
     * 60 ms, racing the reaper) and {@code transaction} (after the greeting EHLO, MAIL, RCPT, DATA, a short message
     * and its dot, each reply awaited, then QUIT; a refused MAIL goes straight to QUIT).
     */
    public static Outcome deliver(String domain, String host, int port, String kind, int soTimeoutMs, long holdMs) {
        Socket s;
        try {
            s = kind.startsWith("tls-") ? GreetingClient.connect(host, port, kind) : plain(host, port);
        } catch (Exception e) {
            return new Outcome("CONNECT-FAILED " + GreetingClient.describe(e), true);
        }
        try {
            Replies replies;
            String greeting;
            try {
                s.setSoTimeout(soTimeoutMs);
                if (kind.startsWith("race:")) {
                    closeLater(s, Long.parseLong(kind.substring(5)));
                }
                replies = new Replies(s.getInputStream());
                greeting = replies.next();
            } catch (Exception e) {
                return new Outcome("FAILED " + GreetingClient.describe(e), false); // the KB's leak: no release
            }
            try {
                if (kind.equals("starttls")) {
                    s = startTls(s, replies, host, port);
                    replies = new Replies(s.getInputStream());
                    send(s, "EHLO client.example");
                    replies.next();
                }
                String transaction = kind.equals("transaction") ? transaction(s, replies) : "";
                Thread.sleep(holdMs);
                send(s, "QUIT");
                return new Outcome("GREETING[" + greeting + "] " + transaction + "QUIT[" + replies.next() + "]", true);
            } catch (Exception e) {
                return new Outcome("SESSION-FAILED GREETING[" + greeting + "] " + GreetingClient.describe(e), true);
            }
        } finally {
            try {
                s.close();
            } catch (IOException ignored) {
                // closed already, by the reaper or the race
            }
        }
    }

    /** One message's commands, each reply awaited; returns what the MAIL and the final dot were answered. */
    private static String transaction(Socket s, Replies replies) throws IOException {
        send(s, "EHLO client.example");
        replies.next();
        send(s, "MAIL FROM:<sender@client.example>");
        String mail = replies.next();
        if (!mail.startsWith("2")) {
            return "MAIL[" + mail + "] ";
        }
        send(s, "RCPT TO:<ann@one.example>");
        replies.next();
        send(s, "DATA");
        replies.next();
        send(s, "Subject: fault matrix\r\n\r\nHello.\r\n.");
        return "MAIL[" + mail + "] DOT[" + replies.next() + "] ";
    }

    /** A plain connect that leaves TLS alone: the default SSLContext takes seconds to set up on a busy machine. */
    private static Socket plain(String host, int port) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), 5000);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** EHLO, STARTTLS, then the TLS handshake over the same connection, as Jakarta Mail's starttls.enable does. */
    private static Socket startTls(Socket plain, Replies replies, String host, int port) throws Exception {
        send(plain, "EHLO client.example");
        String ehlo = replies.next();
        send(plain, "STARTTLS");
        String go = replies.next();
        if (!go.startsWith("220")) {
            throw new IOException("STARTTLS refused after EHLO " + ehlo + ": " + go);
        }
        SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(plain, host, port, true);
        tls.startHandshake();
        return tls;
    }

    private static void send(Socket s, String command) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(Replies.ascii(command + "\r\n"));
        out.flush();
    }

    private static void closeLater(Socket s, long aroundMs) {
        long at = aroundMs - 60 + ThreadLocalRandom.current().nextInt(120);
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(at);
                s.close();
            } catch (Exception ignored) {
                // racing the reaper: either may win
            }
        }, "host-closer");
        closer.setDaemon(true);
        closer.start();
    }
}

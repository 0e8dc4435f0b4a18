package io.smtpwatchdog.it.child;

import org.apache.commons.net.pop3.POP3Client;
import org.apache.commons.net.smtp.AuthenticatingSMTPClient;
import org.apache.commons.net.smtp.SMTPClient;
import org.apache.commons.net.smtp.SMTPReply;
import org.apache.commons.net.smtp.SMTPSClient;

import java.io.IOException;

/**
 * An Apache Commons Net host, with the library's defaults: no read timeout, so a remote that never greets hangs
 * {@code connect}. Usage: {@code host port plain|subclass|implicit|starttls holdMs recipient}: connect
 * ({@link SMTPSClient} with implicit TLS for {@code implicit}, a subclass of {@link SMTPClient} of the host's own for
 * {@code subclass}), HELO, hold the session {@code holdMs}, send one message, QUIT, disconnect. {@code starttls}
 * connects an {@link AuthenticatingSMTPClient} and says EHLO, STARTTLS ({@code execTLS}, trusting through the JVM's
 * trust store properties) and EHLO again in place of the HELO. {@code host port pop3 timeoutMs}
 * connects a POP3 client instead, which reads its greeting with a timeout of its own.
 * Prints {@code CONNECTED <reply code> after <ms> ms}, {@code SENT}, {@code CLOSED}, or
 * {@code FAILED <kind> <exception>: <message> after <ms> ms} where kind is {@code IOException} for the library's
 * own, then the agent's counters.
 */
public final class CommonsNetClient {
    public static void main(String[] a) throws Exception {
        String host = a[0];
        int port = Integer.parseInt(a[1]);
        String kind = a[2];
        long holdMs = Long.parseLong(a[3]);
        if (kind.equals("pop3")) {
            pop3(host, port, (int) holdMs);
            return;
        }
        SMTPClient c = kind.equals("starttls") ? new AuthenticatingSMTPClient()
                : kind.equals("implicit") ? new SMTPSClient(true)
                : kind.equals("subclass") ? new SMTPClient() {
                    // a host's own client class, outside org.apache.commons.net.smtp
                } : new SMTPClient();
        String recipient = a[4];
        c.setConnectTimeout(10000); // the connect only: the greeting read stays unbounded
        AgentView.awaitLive();
        long t0 = System.nanoTime();
        try {
            c.connect(host, port);
            System.out.println("CONNECTED " + c.getReplyCode() + " after " + GreetingClient.ms(t0) + " ms");
            if (c instanceof AuthenticatingSMTPClient) {
                AuthenticatingSMTPClient tls = (AuthenticatingSMTPClient) c;
                check(c, tls.elogin("client.example"));
                if (!tls.execTLS()) {
                    throw new IOException("STARTTLS refused: " + c.getReplyString().trim());
                }
                check(c, tls.elogin("client.example"));
            } else {
                check(c, c.login("client.example"));
            }
            Thread.sleep(holdMs);
            check(c, c.sendSimpleMessage("sender@client.example", recipient,
                    "Subject: smtp-watchdog test\r\n\r\nHello from the integration test.\r\n"));
            System.out.println("SENT");
            check(c, c.logout());
            c.disconnect();
            System.out.println("CLOSED");
        } catch (IOException e) {
            GreetingClient.printFailed("IOException", e, t0);
        } catch (Exception e) {
            GreetingClient.printFailed("other", e, t0);
        } finally {
            if (c.isConnected()) {
                c.disconnect();
            }
        }
        AgentView.printCounters();
        System.exit(0);
    }

    /**
     * Another protocol's client of the same {@code SocketClient} base, which the agent must leave alone: a POP3
     * connect with its own read timeout of {@code timeoutMs}.
     */
    private static void pop3(String host, int port, int timeoutMs) throws Exception {
        POP3Client c = new POP3Client();
        c.setDefaultTimeout(timeoutMs);
        AgentView.awaitLive();
        long t0 = System.nanoTime();
        try {
            c.connect(host, port);
            System.out.println("CONNECTED after " + GreetingClient.ms(t0) + " ms");
        } catch (IOException e) {
            GreetingClient.printFailed("IOException", e, t0);
        } finally {
            if (c.isConnected()) {
                c.disconnect();
            }
        }
        AgentView.printCounters();
        System.exit(0);
    }

    private static void check(SMTPClient c, boolean ok) throws IOException {
        if (!ok && !SMTPReply.isPositiveCompletion(c.getReplyCode())) {
            throw new IOException("refused: " + c.getReplyString().trim());
        }
    }
}

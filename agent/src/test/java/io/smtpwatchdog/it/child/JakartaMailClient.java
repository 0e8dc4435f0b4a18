package io.smtpwatchdog.it.child;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.util.Properties;

/**
 * A Jakarta Mail 2.x host (Angus Mail on its class path), used as mail programs use it, with the library's defaults:
 * no read timeout, so a remote that never greets hangs it. Usage: {@code host port plain|smtps|starttls MODE ...}
 * ({@code starttls}: STARTTLS enabled and required, the certificate trusted through the JVM's trust store
 * properties).
 * <ul>
 *   <li>{@code hold <ms> <recipients>}: {@code Transport.connect}, hold the connection {@code ms}, send one message
 *   on it, close.</li>
 *   <li>{@code send <recipients> [<recipients> ...]}: one static {@code Transport.send} per comma-separated list.</li>
 *   <li>{@code idle <ms> <recipients>}: {@code Transport.connect}, send one message, stay connected and idle
 *   {@code ms}, send a second message on the same connection, close; a {@code SENT} line for each. The time in a
 *   {@code FAILED} line counts from the start of the step that failed.</li>
 * </ul>
 * Prints {@code CONNECTED}, {@code SENT <recipients>}, {@code CLOSED}, or {@code FAILED <kind> <exception>: <message>
 * after <ms> ms} where kind is {@code MessagingException} for the library's own exception, then the agent's counters.
 */
public final class JakartaMailClient {
    public static void main(String[] a) throws Exception {
        String host = a[0];
        String port = a[1];
        String transport = a[2];
        String mode = a[3];
        Session session = session(host, port, transport);
        AgentView.awaitLive();
        long t0 = System.nanoTime();
        try {
            if (mode.equals("hold")) {
                Transport t = session.getTransport("smtp");
                t.connect();
                System.out.println("CONNECTED after " + GreetingClient.ms(t0) + " ms");
                Thread.sleep(Long.parseLong(a[4]));
                MimeMessage m = message(session, a[5]);
                t.sendMessage(m, m.getAllRecipients());
                System.out.println("SENT " + a[5]);
                t.close();
                System.out.println("CLOSED");
            } else if (mode.equals("idle")) {
                Transport t = session.getTransport("smtp");
                t.connect();
                System.out.println("CONNECTED after " + GreetingClient.ms(t0) + " ms");
                for (int i = 0; i < 2; i++) {
                    if (i == 1) {
                        Thread.sleep(Long.parseLong(a[4]));
                    }
                    t0 = System.nanoTime();
                    MimeMessage m = message(session, a[5]);
                    t.sendMessage(m, m.getAllRecipients());
                    System.out.println("SENT " + a[5]);
                }
                t0 = System.nanoTime();
                t.close();
                System.out.println("CLOSED");
            } else {
                for (int i = 4; i < a.length; i++) {
                    t0 = System.nanoTime();
                    Transport.send(message(session, a[i]));
                    System.out.println("SENT " + a[i]);
                }
            }
        } catch (MessagingException e) {
            GreetingClient.printFailed("MessagingException", e, t0);
        } catch (Exception e) {
            GreetingClient.printFailed("other", e, t0);
        }
        AgentView.printCounters();
        System.exit(0);
    }

    /**
     * One static {@code Transport.send} to {@code recipients}, printing {@code SENT} or {@code FAILED}: for a host that
     * loads this class, and the library, in a class loader of its own (which cannot see the agent's classes).
     */
    public static void sendOnce(String host, String port, String recipients) {
        long t0 = System.nanoTime();
        try {
            Transport.send(message(session(host, port, "plain"), recipients));
            System.out.println("SENT " + recipients);
        } catch (MessagingException e) {
            GreetingClient.printFailed("MessagingException", e, t0);
        } catch (Exception e) {
            GreetingClient.printFailed("other", e, t0);
        }
    }

    private static Session session(String host, String port, String transport) {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", host);
        p.setProperty("mail.smtp.port", port);
        p.setProperty("mail.smtp.localhost", "client.example");
        p.setProperty("mail.smtp.connectiontimeout", "10000"); // the connect only: the greeting read stays unbounded
        switch (transport) {
            case "plain":
                break;
            case "smtps":
                p.setProperty("mail.smtp.ssl.enable", "true");
                break;
            case "starttls":
                p.setProperty("mail.smtp.starttls.enable", "true");
                p.setProperty("mail.smtp.starttls.required", "true");
                break;
            default:
                throw new IllegalArgumentException("transport " + transport + ": plain, smtps or starttls");
        }
        return Session.getInstance(p);
    }

    private static MimeMessage message(Session session, String recipients) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("Sender <sender@client.example>"));
        m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(recipients));
        m.setSubject("smtp-watchdog test");
        m.setText("Hello from the integration test.\n");
        return m;
    }
}

package io.smtpwatchdog.it.child;

import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import java.util.Properties;

/**
 * A javax.mail 1.6 host (com.sun.mail:javax.mail, and javax.activation, which the JDK no longer has, on its class
 * path), used as mail programs use it, with the library's defaults: no read timeout, so a remote that never greets
 * hangs it. The same program as {@link JakartaMailClient}, in the other package.
 * Usage: {@code host port plain|smtps|starttls MODE ...} ({@code starttls}: STARTTLS enabled and required).
 * <ul>
 *   <li>{@code hold <ms> <recipients>}: {@code Transport.connect}, hold the connection {@code ms}, send one message
 *   on it, close.</li>
 *   <li>{@code send <recipients> [<recipients> ...]}: one static {@code Transport.send} per comma-separated list.</li>
 * </ul>
 * Prints {@code CONNECTED}, {@code SENT <recipients>}, {@code CLOSED}, or {@code FAILED <kind> <exception>: <message>
 * after <ms> ms} where kind is {@code MessagingException} for the library's own exception, then the agent's counters.
 */
public final class JavaxMailClient {
    public static void main(String[] a) throws Exception {
        String host = a[0];
        String port = a[1];
        String transport = a[2];
        String mode = a[3];
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
        Session session = Session.getInstance(p);
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

    private static MimeMessage message(Session session, String recipients) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("Sender <sender@client.example>"));
        m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(recipients));
        m.setSubject("smtp-watchdog test");
        m.setText("Hello from the integration test.\n");
        return m;
    }
}

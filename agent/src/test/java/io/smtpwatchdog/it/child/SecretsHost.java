package io.smtpwatchdog.it.child;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.lang.management.ManagementFactory;
import java.util.Properties;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * A Jakarta Mail host (Angus Mail) that sends mail with a secret in it: a marker in the subject and the body, and a
 * password given to AUTH PLAIN and AUTH LOGIN. Usage: {@code authPort tarpitPort user password marker quiet|trace}.
 * <ol>
 *   <li>one {@code Transport.send} per mechanism to the AUTH server: {@code SENT PLAIN}, {@code SENT LOGIN};</li>
 *   <li>in {@code quiet} mode, one more to a tarpit, which the agent reaps ({@code FAILED ...}), while this host
 *   reads the agent's JMX {@code Connections} table and prints each row ({@code CONNECTION key=value ...});</li>
 *   <li>the agent's counters.</li>
 * </ol>
 * {@code trace} turns on the library's own protocol trace, credentials included: the control that shows a leak is
 * seen by the test's scan of this JVM's output. This program never prints the marker or the password itself.
 */
public final class SecretsHost {
    private static final String WATCHDOG = "smtpwatchdog:type=Watchdog";

    public static void main(String[] a) throws Exception {
        int authPort = Integer.parseInt(a[0]);
        int tarpitPort = Integer.parseInt(a[1]);
        String user = a[2];
        String password = a[3];
        String marker = a[4];
        boolean trace = a[5].equals("trace");
        // Someone creating the platform MBeanServer is what lets the agent register at once (not after 10 s).
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        AgentView.awaitLive();
        for (String mechanism : new String[] {"PLAIN", "LOGIN"}) {
            long t0 = System.nanoTime();
            try {
                Session session = session(authPort, mechanism, trace);
                Transport.send(message(session, marker), user, password);
                System.out.println("SENT " + mechanism);
            } catch (MessagingException e) {
                GreetingClient.printFailed("MessagingException", e, t0);
            }
        }
        if (!trace) {
            sendToTarpitReadingTheConnectionsTable(mbs, tarpitPort, user, password, marker);
        }
        AgentView.printCounters();
        System.exit(0);
    }

    private static void sendToTarpitReadingTheConnectionsTable(MBeanServer mbs, int port, String user,
            String password, String marker) throws Exception {
        ObjectName watchdog = new ObjectName(WATCHDOG);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!mbs.isRegistered(watchdog) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread mailer = new Thread(() -> {
            long t0 = System.nanoTime();
            try {
                Transport.send(message(session(port, "PLAIN", false), marker), user, password);
                System.out.println("SENT tarpit");
            } catch (MessagingException e) {
                GreetingClient.printFailed("MessagingException", e, t0);
            } catch (Exception e) {
                GreetingClient.printFailed("other", e, t0);
            }
        }, "mailer");
        mailer.start();
        boolean printed = false;
        while (mailer.isAlive() && !printed) {
            // Read while the connection awaits its greeting: the reap at the deadline empties the table.
            for (CompositeData row : (CompositeData[]) mbs.getAttribute(watchdog, "Connections")) {
                StringBuilder line = new StringBuilder("CONNECTION");
                for (String key : row.getCompositeType().keySet()) {
                    line.append(' ').append(key).append('=').append(String.valueOf(row.get(key)).replace("\n", " | "));
                }
                System.out.println(line);
                printed = true;
            }
            Thread.sleep(10);
        }
        mailer.join(60_000);
    }

    private static Session session(int port, String mechanism, boolean trace) {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", "localhost");
        p.setProperty("mail.smtp.port", String.valueOf(port));
        p.setProperty("mail.smtp.localhost", "client.example");
        p.setProperty("mail.smtp.connectiontimeout", "10000"); // the connect only: the greeting read stays unbounded
        p.setProperty("mail.smtp.auth", "true");
        p.setProperty("mail.smtp.auth.mechanisms", mechanism);
        if (trace) {
            p.setProperty("mail.debug", "true");
            p.setProperty("mail.debug.auth", "true");
        }
        Session session = Session.getInstance(p);
        session.setDebugOut(System.out);
        return session;
    }

    private static MimeMessage message(Session session, String marker) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("sender@client.example"));
        m.setRecipients(Message.RecipientType.TO, InternetAddress.parse("ann@secrets.example"));
        m.setSubject("Quarterly figures " + marker);
        m.setText("Confidential: " + marker + "\n");
        return m;
    }
}

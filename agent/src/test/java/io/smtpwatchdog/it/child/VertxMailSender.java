package io.smtpwatchdog.it.child;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends with the Vert.x mail client, as a reactive application does: one {@code MailClient} with its defaults (no
 * greeting or read timeout of its own) and a pool of one connection, so that a connection that never comes back
 * blocks every later send. Usage: {@code host port sends nio|native}: sends {@code sends} messages one after the
 * other, each to {@code rcpt@vertx.example}, and prints {@code TRANSPORT native=<bool>}, then for each
 * {@code SEND<n> OK after <ms> ms}, {@code SEND<n> FAILED <exception>: <message> after <ms> ms} or
 * {@code SEND<n> PENDING after <ms> ms} (not completed within 60 s), then the agent's counters if it is there. The
 * system property {@code pauseMs} puts a pause after each send.
 */
public final class VertxMailSender {
    public static void main(String[] a) throws Exception {
        boolean agent = !Boolean.getBoolean("noagent");
        if (agent) {
            AgentView.awaitLive();
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(a[3].equals("native")));
        System.out.println("TRANSPORT native=" + vertx.isNativeTransportEnabled());
        MailClient client = MailClient.create(vertx, new MailConfig().setHostname(a[0])
                .setPort(Integer.parseInt(a[1])).setStarttls(StartTLSOptions.DISABLED).setMaxPoolSize(1));
        int sends = Integer.parseInt(a[2]);
        for (int i = 1; i <= sends; i++) {
            MailMessage m = new MailMessage().setFrom("sender@client.example")
                    .setTo(Arrays.asList("rcpt@vertx.example")).setSubject("message " + i).setText("hello " + i);
            CompletableFuture<String> done = new CompletableFuture<>();
            long t0 = System.nanoTime();
            client.sendMail(m).onComplete(r -> done.complete(r.succeeded() ? "OK"
                    : "FAILED " + r.cause().getClass().getName() + ": " + r.cause().getMessage()));
            String outcome;
            try {
                outcome = done.get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                outcome = "PENDING";
            }
            System.out.println("SEND" + i + " " + outcome + " after " + (System.nanoTime() - t0) / 1_000_000L + " ms");
            Thread.sleep(Long.getLong("pauseMs", 0));
        }
        if (agent) {
            AgentView.printCounters();
        }
        System.exit(0);
    }

    private VertxMailSender() {
    }
}

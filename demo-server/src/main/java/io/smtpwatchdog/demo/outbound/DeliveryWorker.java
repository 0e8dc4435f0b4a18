package io.smtpwatchdog.demo.outbound;

import io.smtpwatchdog.demo.Log;
import io.smtpwatchdog.demo.spool.Recipient;
import io.smtpwatchdog.demo.spool.Spool;
import io.smtpwatchdog.demo.spool.SpooledMessage;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One of the relay's fixed pool of delivery threads: takes a task, runs an SMTP session, records what became
 * of each recipient in the spool, and queues what is left for a retry.
 */
public final class DeliveryWorker implements Runnable {
    private final DeliveryQueue queue;
    private final Routes routes;
    private final OutboundClient client;
    private final Spool spool;
    private final DeliveryStats stats;
    private final Backoff backoff;
    private final int maxAttempts;

    /** A worker; run it on a thread of its own. */
    public DeliveryWorker(DeliveryQueue queue, Routes routes, OutboundClient client, Spool spool,
                          DeliveryStats stats, Backoff backoff, int maxAttempts) {
        this.queue = queue;
        this.routes = routes;
        this.client = client;
        this.spool = spool;
        this.stats = stats;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
    }

    @Override
    public void run() {
        try {
            DeliveryTask task;
            while ((task = queue.take()) != null) {
                deliver(task);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(DeliveryTask task) {
        SpooledMessage message = task.message();
        String domain = task.domain();
        stats.started(domain);
        try {
            List<String> recipients = message.pendingIn(domain);
            Optional<Route> route = routes.lookup(domain);
            Attempt attempt;
            if (route.isEmpty()) {
                limiter().release(domain);
                attempt = Attempt.all(recipients, Attempt.Outcome.REJECTED, "no route to " + domain);
            } else {
                attempt = client.deliver(domain, route.get(), message.from(), recipients, message.data());
            }
            settle(message, domain, attempt);
        } catch (RuntimeException e) {
            // A bug must not kill a delivery thread or lose the task; the message stays spooled.
            Log.info("%s: delivery of %s broke: %s", domain, message.id(), e);
            queue.add(new DeliveryTask(message, domain, System.nanoTime() + backoff.after(1).toNanos()));
        } finally {
            stats.finished(domain);
        }
    }

    private void settle(SpooledMessage message, String domain, Attempt attempt) {
        int attempts;
        boolean giveUp;
        synchronized (message) {
            attempts = message.countAttempt(domain);
            giveUp = attempts >= maxAttempts;
            for (Map.Entry<String, Attempt.Outcome> outcome : attempt.outcomes().entrySet()) {
                switch (outcome.getValue()) {
                    case DELIVERED -> message.mark(outcome.getKey(), Recipient.State.DELIVERED);
                    case REJECTED -> message.mark(outcome.getKey(), Recipient.State.FAILED);
                    case DEFERRED -> {
                        if (giveUp) {
                            message.mark(outcome.getKey(), Recipient.State.FAILED);
                        }
                    }
                }
            }
            try {
                spool.commit(message);
            } catch (IOException e) {
                // The outcome stays in memory; on disk the recipients still look pending, so after a restart
                // they are tried again: a duplicate at worst, never a loss.
                Log.info("%s: could not record delivery state of %s: %s", domain, message.id(), e);
            }
        }
        List<String> stillPending = message.pendingIn(domain);
        if (!stillPending.isEmpty()) {
            long delay = backoff.after(attempts).toNanos();
            Log.info("%s: %s deferred (attempt %d of %d, next in %d ms): %s", domain, message.id(), attempts,
                    maxAttempts, delay / 1_000_000, attempt.detail());
            queue.add(new DeliveryTask(message, domain, System.nanoTime() + delay));
        } else if (message.anyFailedIn(domain)) {
            stats.countFailed(domain);
            Log.info("FAILED id=%s domain=%s attempts=%d reason=%s", message.id(), domain, attempts,
                    attempt.detail());
        } else {
            stats.countDelivered(domain);
            Log.info("%s: %s delivered", domain, message.id());
        }
    }

    private ConnectionLimiter limiter() {
        return client.limiter();
    }
}

package io.smtpwatchdog.demo;

import io.smtpwatchdog.demo.inbound.Inbox;
import io.smtpwatchdog.demo.outbound.DeliveryQueue;
import io.smtpwatchdog.demo.outbound.DeliveryTask;
import io.smtpwatchdog.demo.outbound.Routes;
import io.smtpwatchdog.demo.smtp.Envelope;
import io.smtpwatchdog.demo.spool.Spool;
import io.smtpwatchdog.demo.spool.SpooledMessage;

import java.io.IOException;

/** The relay's inbox: a message is written to the spool for good, then queued for each of its domains. */
final class SpoolingInbox implements Inbox {
    private final Spool spool;
    private final DeliveryQueue queue;
    private final Routes routes;

    SpoolingInbox(Spool spool, DeliveryQueue queue, Routes routes) {
        this.spool = spool;
        this.queue = queue;
        this.routes = routes;
    }

    @Override
    public boolean acceptsDomain(String domain) {
        return routes.lookup(domain).isPresent();
    }

    @Override
    public String accept(Envelope envelope, byte[] data) throws IOException {
        SpooledMessage message = spool.store(envelope, data);
        for (String domain : message.pendingDomains()) {
            queue.add(DeliveryTask.now(message, domain));
        }
        Log.info("accepted %s from <%s> for %s", message.id(), envelope.from(), envelope.recipients());
        return message.id();
    }
}

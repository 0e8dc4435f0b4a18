package io.smtpwatchdog.demo;

import io.smtpwatchdog.demo.inbound.InboundSettings;
import io.smtpwatchdog.demo.inbound.Listener;
import io.smtpwatchdog.demo.inbound.SmtpSession;
import io.smtpwatchdog.demo.outbound.Backoff;
import io.smtpwatchdog.demo.outbound.ConnectionLimiter;
import io.smtpwatchdog.demo.outbound.DeliveryQueue;
import io.smtpwatchdog.demo.outbound.DeliveryStats;
import io.smtpwatchdog.demo.outbound.DeliveryTask;
import io.smtpwatchdog.demo.outbound.DeliveryWorker;
import io.smtpwatchdog.demo.outbound.OutboundClient;
import io.smtpwatchdog.demo.spool.Spool;
import io.smtpwatchdog.demo.spool.SpooledMessage;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The mail relay put together: inbound SMTP into the spool, per-domain queues, a fixed pool of delivery
 * threads, and the STATUS lines.
 */
public final class Relay implements AutoCloseable {
    /** The name the relay greets with and says in EHLO; there is no DNS to ask for a better one. */
    static final String HOSTNAME = "demo-relay.localhost";

    private final RelayConfig config;
    private final ConnectionLimiter limiter;
    private final DeliveryQueue queue;
    private final DeliveryStats stats = new DeliveryStats();
    private final List<Thread> threads = new ArrayList<>();
    private Listener listener;

    private Relay(RelayConfig config) {
        this.config = config;
        this.limiter = new ConnectionLimiter(config.perDomainLimit());
        this.queue = new DeliveryQueue(limiter);
    }

    /**
     * Recovers the spool, starts the delivery threads and opens the inbound port.
     *
     * @throws IOException when the spool cannot be read or the port cannot be bound
     */
    public static Relay start(RelayConfig config) throws IOException {
        Relay relay = new Relay(config);
        relay.startAll();
        return relay;
    }

    private void startAll() throws IOException {
        Spool spool = new Spool(config.spoolDirectory());
        List<SpooledMessage> recovered = spool.recover();
        for (SpooledMessage message : recovered) {
            for (String domain : message.pendingDomains()) {
                queue.add(DeliveryTask.now(message, domain));
            }
        }
        if (!recovered.isEmpty()) {
            Log.info("spool: re-queued %d message(s) from %s", recovered.size(), spool.directory());
        }
        // The port first: if it is taken, nothing else has been started.
        InboundSettings inbound = new InboundSettings(HOSTNAME, config.maxMessageSize(),
                InboundSettings.DEFAULT_IDLE_TIMEOUT);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port());
        try {
            listener = Listener.start("smtp-in", address,
                    SmtpSession.handler(new SpoolingInbox(spool, queue, config.routes()), inbound));
        } catch (IOException e) {
            throw new IOException("cannot listen on " + address.getAddress().getHostAddress() + ":"
                    + config.port() + ": " + e.getMessage(), e);
        }
        OutboundClient client = new OutboundClient(HOSTNAME, limiter, config.client());
        Backoff backoff = new Backoff(config.retryBase());
        for (int i = 1; i <= config.threads(); i++) {
            DeliveryWorker worker = new DeliveryWorker(queue, config.routes(), client, spool, stats, backoff,
                    config.maxAttempts());
            start(new Thread(worker, "delivery-" + i));
        }
        if (config.statusOut() != null) {
            start(new Thread(this::reportStatus, "status"));
        }
    }

    private void start(Thread thread) {
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /** The inbound SMTP address. */
    public InetSocketAddress address() {
        return listener.address();
    }

    /** Where delivery to {@code domain} stands now. */
    public DomainStatus status(String domain) {
        return new DomainStatus(domain, queue.queued(domain), stats.inflight(domain), stats.delivered(domain),
                stats.failed(domain), limiter.inUse(domain), limiter.limit());
    }

    /** The domains of the routes file and any others that had mail, sorted. */
    public List<String> domains() {
        TreeSet<String> domains = new TreeSet<>(config.routes().domains());
        domains.addAll(queue.domains());
        domains.addAll(stats.domains());
        return List.copyOf(domains);
    }

    /** Prints a STATUS line per domain. */
    public void printStatus() {
        if (config.statusOut() == null) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (String domain : domains()) {
            lines.append(status(domain).statusLine()).append(System.lineSeparator());
        }
        // One print call, so the lines of one report stay together.
        config.statusOut().print(lines);
        config.statusOut().flush();
    }

    private void reportStatus() {
        try {
            while (true) {
                Thread.sleep(config.statusInterval().toMillis());
                printStatus();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops accepting mail and stops the delivery threads that are between sessions. Threads stuck in a
     * greeting wait cannot be stopped (that is DEFECT 1); they are daemons and die with the JVM.
     */
    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
        queue.close();
        for (Thread thread : threads) {
            thread.interrupt();
        }
        for (Thread thread : threads) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

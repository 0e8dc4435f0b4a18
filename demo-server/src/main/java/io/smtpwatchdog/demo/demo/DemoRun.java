package io.smtpwatchdog.demo.demo;

import io.smtpwatchdog.demo.DomainStatus;
import io.smtpwatchdog.demo.Durations;
import io.smtpwatchdog.demo.Log;
import io.smtpwatchdog.demo.Options;
import io.smtpwatchdog.demo.Relay;
import io.smtpwatchdog.demo.RelayConfig;
import io.smtpwatchdog.demo.outbound.ClientSettings;
import io.smtpwatchdog.demo.outbound.Routes;
import io.smtpwatchdog.demo.outbound.RoutesException;
import io.smtpwatchdog.demo.remote.Sink;
import io.smtpwatchdog.demo.remote.Stall;
import io.smtpwatchdog.demo.remote.Tarpit;
import io.smtpwatchdog.demo.smtp.Reply;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * The whole story of KB Q175982 in one process: a healthy remote host for good.example, a tarpit for
 * tarpit.example that heals after a while, the relay between them, and mail for both submitted over SMTP.
 * Tarpit mail goes in first and delivery is oldest first, so with the legacy client both delivery threads
 * end up waiting for a greeting that never comes and good.example mail never leaves.
 *
 * <p>With {@code --stall-mail} a third domain, stall.example, goes to a host that greets and then never answers
 * MAIL FROM. Its mail goes in after the tarpit's, so the delivery threads that a greeting deadline frees from
 * the tarpit walk into the stall next: what a deadline on the greeting alone does not cure.
 */
public final class DemoRun {
    static final String GOOD = "good.example";
    static final String TARPIT = "tarpit.example";
    static final String STALL = "stall.example";

    private final Options options;
    private final PrintStream out;

    /** A demo with {@code options}, printing its machine-readable lines to {@code out}. */
    public DemoRun(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** A simulated host and the counter the SUMMARY line reads from it. */
    private record Remote(String domain, InetSocketAddress address, IntSupplier openConnections) {
    }

    /**
     * Runs the demo for its duration and prints the SUMMARY lines. Returns normally even though delivery
     * threads may be stuck for good; the caller is expected to exit the JVM.
     */
    public void run() throws IOException, InterruptedException {
        long startedAt = System.nanoTime();
        Path spool = options.spool();
        boolean temporarySpool = spool == null;
        if (temporarySpool) {
            spool = Files.createTempDirectory("demo-server-spool-");
        }
        Sink sink = startSink();
        Tarpit tarpit = startTarpit();
        List<Remote> remotes = new ArrayList<>(List.of(
                new Remote(GOOD, sink.address(), sink::openConnections),
                new Remote(TARPIT, tarpit.address(), tarpit::openConnections)));
        out.println("REMOTE domain=" + GOOD + " address=" + hostPort(sink.address()) + " kind=sink");
        out.println("REMOTE domain=" + TARPIT + " address=" + hostPort(tarpit.address()) + " kind=tarpit");
        if (options.stallMail()) {
            Stall stall = startStall();
            remotes.add(new Remote(STALL, stall.address(), stall::openConnections));
            out.println("REMOTE domain=" + STALL + " address=" + hostPort(stall.address()) + " kind=stall-after-mail");
            noteReplyTimeout();
            Log.info("demo: %s at %s greets and answers EHLO, then never answers MAIL FROM", STALL,
                    hostPort(stall.address()));
        }
        Relay relay = Relay.start(config(spool, remotes));
        out.println("LISTENING " + hostPort(relay.address()));
        out.flush();
        Log.info("demo: tarpit heals %s after start; demo ends after %s; spool %s",
                Durations.format(options.healAfter()), Durations.format(options.duration()), spool);

        // Tarpit mail first: delivery is oldest first, so the delivery threads reach the tarpit before
        // good.example, which is what makes the outcome the same on every run. Stall mail comes second, so
        // threads freed from the tarpit's greeting reach the stall before they reach good.example.
        submit(relay.address(), TARPIT);
        if (options.stallMail()) {
            submit(relay.address(), STALL);
        }
        submit(relay.address(), GOOD);

        long left = options.duration().toNanos() - (System.nanoTime() - startedAt);
        if (left > 0) {
            Thread.sleep(left / 1_000_000);
        }
        relay.printStatus();
        for (Remote remote : remotes) {
            DomainStatus s = relay.status(remote.domain());
            // queued here counts every message still held, in flight or waiting, so that
            // delivered + queued + failed is what was submitted.
            out.println("SUMMARY domain=" + remote.domain() + " delivered=" + s.delivered()
                    + " queued=" + (s.queued() + s.inflight()) + " failed=" + s.failed()
                    + " slots=" + s.slotsUsed() + "/" + s.slotLimit()
                    + " open_connections=" + remote.openConnections().getAsInt());
        }
        out.flush();
        if (temporarySpool) {
            deleteQuietly(spool);
        }
    }

    private RelayConfig config(Path spool, List<Remote> remotes) throws IOException {
        List<String> lines = remotes.stream()
                .map(r -> r.domain() + " " + hostPort(r.address()))
                .toList();
        Routes routes;
        try {
            routes = Routes.parse(lines, "demo routes");
        } catch (RoutesException e) {
            throw new IOException(e.getMessage(), e);
        }
        ClientSettings client = new ClientSettings(options.fixedClient(), options.connectTimeout(),
                options.greetingTimeout(), options.replyTimeout());
        return new RelayConfig(options.port(), spool, routes, options.threads(), options.perDomainLimit(),
                options.retryBase(), options.maxAttempts(), options.maxMessageSize(), client,
                options.statusInterval(), out);
    }

    /** Real remote hosts listen on port 25 of their own addresses; loopback has many, so use two of them. */
    private Sink startSink() throws IOException {
        InetSocketAddress wanted = new InetSocketAddress("127.0.0.2", options.remotePort());
        try {
            return Sink.start(wanted);
        } catch (IOException e) {
            Sink sink = Sink.start(fallback());
            note(GOOD, wanted, e, sink.address());
            return sink;
        }
    }

    private Tarpit startTarpit() throws IOException {
        InetSocketAddress wanted = new InetSocketAddress("127.0.0.3", options.remotePort());
        try {
            return Tarpit.start(wanted, options.healAfter());
        } catch (IOException e) {
            Tarpit tarpit = Tarpit.start(fallback(), options.healAfter());
            note(TARPIT, wanted, e, tarpit.address());
            return tarpit;
        }
    }

    private Stall startStall() throws IOException {
        InetSocketAddress wanted = new InetSocketAddress("127.0.0.4", options.remotePort());
        try {
            return Stall.start(wanted);
        } catch (IOException e) {
            Stall stall = Stall.start(fallback());
            note(STALL, wanted, e, stall.address());
            return stall;
        }
    }

    /**
     * The demo's client bounds replies after the greeting (--reply-timeout, 5m by default), where the legacy
     * clients it stands for wait for ever; a demo that outlasts that bound would see the relay end the stall
     * by itself, so say so rather than let the story change silently.
     */
    private void noteReplyTimeout() {
        if (options.replyTimeout().compareTo(options.duration()) < 0) {
            out.println("NOTE --reply-timeout " + Durations.format(options.replyTimeout()) + " is shorter than"
                    + " --duration " + Durations.format(options.duration()) + ": the relay itself ends each wait"
                    + " for the reply to MAIL FROM of " + STALL + " after that long");
        }
    }

    /** macOS, for one, only has 127.0.0.1 unless told otherwise; and 2525 may be taken. */
    private static InetSocketAddress fallback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private void note(String domain, InetSocketAddress wanted, IOException why, InetSocketAddress actual) {
        out.println("NOTE cannot bind " + hostPort(wanted) + " for " + domain + " (" + why.getMessage()
                + "); using " + hostPort(actual) + " instead");
    }

    private void submit(InetSocketAddress relay, String domain) throws IOException {
        try (Submitter submitter = Submitter.connect(relay, Duration.ofSeconds(30))) {
            for (int i = 1; i <= options.messages(); i++) {
                String to = "user" + i + "@" + domain;
                String id = "<demo-" + i + "." + domain + "@demo-server.localhost>";
                Reply reply = submitter.send("sender@demo.localhost", to,
                        Submitter.message("sender@demo.localhost", to, id, "demo message " + i + " for " + domain));
                if (!reply.positive()) {
                    throw new IOException("the relay refused demo message " + i + " for " + domain + ": " + reply);
                }
            }
        }
        Log.info("demo: submitted %d message(s) for %s", options.messages(), domain);
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp directory is harmless.
        }
    }
}

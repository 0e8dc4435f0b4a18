package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.LimiterHost;
import io.smtpwatchdog.it.child.MatrixDelivery;
import io.smtpwatchdog.it.child.MatrixHost;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One {@link MatrixHost} child running many rows at once, each row delivering to a domain of its own
 * ({@code <row>.example}) through the host's leaky limiter, with the agent told about the host's methods. A test
 * names its rows, starts the child once, and every row then reads its own outcome, its domain's counters and its
 * slots: rows stay independent while the JVM start is paid once.
 */
final class MatrixRun implements AutoCloseable {
    static final Duration CHILD = Duration.ofSeconds(150);
    private static final String LIMITER = LimiterHost.Limiter.class.getName();
    /** The agent options that make each row's connections SMTP, counted under its domain, with declared slots. */
    static final String DECLARATIONS = "delivery=" + MatrixDelivery.class.getName() + "#deliver(java.lang.String,..)@0"
            + ",slotAcquire=" + LIMITER + "#acquire(java.lang.String)@0"
            + ",slotRelease=" + LIMITER + "#release(java.lang.String)@0";

    private final Map<String, String> specs = new LinkedHashMap<>();
    private final Map<String, Peer> peers = new LinkedHashMap<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private ChildJvm child;
    private boolean finished;

    /** A row against {@code peer}; the peer is closed with the run. */
    MatrixRun row(String name, Peer peer, String host, String kind, int soTimeoutMs, long holdMs, int count) {
        peers.put(name, peer);
        resources.add(peer);
        return row(name, host, peer.port(), kind, soTimeoutMs, holdMs, count);
    }

    /** A row against a port no {@link Peer} serves (nothing listens, or nothing accepts). */
    MatrixRun row(String name, String host, int port, String kind, int soTimeoutMs, long holdMs, int count) {
        specs.put(name, String.join(",", name, domain(name), host, String.valueOf(port), kind,
                String.valueOf(soTimeoutMs), String.valueOf(holdMs), String.valueOf(count)));
        return this;
    }

    /** Something to close with the run, e.g. sockets that keep a listener's accept queue full. */
    MatrixRun keep(AutoCloseable resource) {
        resources.add(resource);
        return this;
    }

    static String domain(String row) {
        return row + ".example";
    }

    /** Starts the child with the agent on the command line; {@code before} are extra host arguments. */
    MatrixRun start(ChildJvm.Builder jvm, String... before) throws Exception {
        List<String> args = new ArrayList<>(List.of(before));
        args.addAll(specs.values());
        child = jvm.run(MatrixHost.class, args.toArray(new String[0]));
        return this;
    }

    ChildJvm child() {
        return child;
    }

    /** Waits for the child to finish every row and exit; idempotent. */
    synchronized MatrixRun finish() throws InterruptedException {
        if (!finished) {
            assertEquals(0, child.exitCode(CHILD), "the host ran to its end");
            finished = true;
        }
        return this;
    }

    /** The outcome lines of the row, {@code FAILED ...}, {@code GREETING[...] QUIT[...]} and so on. */
    List<String> outcomes(String row) throws InterruptedException {
        finish();
        Pattern p = Pattern.compile("^ROW " + Pattern.quote(row) + " (.*)$");
        List<String> out = new ArrayList<>();
        for (String line : child.out()) {
            Matcher m = p.matcher(line);
            if (m.matches()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** The only outcome of a single-connection row. */
    String outcome(String row) throws InterruptedException {
        List<String> all = outcomes(row);
        assertEquals(1, all.size(), "one outcome for row " + row + ": " + all);
        return all.get(0);
    }

    /** How many ms the outcome line says the delivery took. */
    static long millis(String outcome) {
        Matcher m = Pattern.compile(" after (\\d+) ms$").matcher(outcome);
        assertTrue(m.find(), outcome);
        return Long.parseLong(m.group(1));
    }

    /** The agent's counters for the row's domain. */
    Map<String, Long> counters(String row) throws InterruptedException {
        finish();
        String prefix = "DEST " + domain(row) + " ";
        return child.out().stream().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> Counters.parse(l.substring(prefix.length())))
                .orElseThrow(() -> new AssertionError("no counters for " + domain(row) + ": " + child.out()));
    }

    /** The slots of the row's domain still taken in the host's own limiter. */
    long hostSlots(String row) throws InterruptedException {
        finish();
        String prefix = "SLOTS " + domain(row) + " ";
        return child.out().stream().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> Long.parseLong(l.substring(prefix.length())))
                .orElseThrow(() -> new AssertionError("no SLOTS line for " + row));
    }

    /**
     * What holds for every row, whatever its outcome: the host's limiter is back to zero for the row's domain and was
     * never released twice, the agent holds no slot of it and has no connection of it open or waiting, the host saw
     * no exception but its own sockets', and the peer has no connection left open.
     */
    void assertNothingLeaked(String row) throws InterruptedException {
        assertEquals(0, hostSlots(row), "the host's limiter is back to 0 for " + row);
        assertTrue(child.out().contains("NEGATIVE 0"), "no slot released twice: " + child.out());
        assertTrue(child.out().contains("UNCAUGHT-TOTAL 0"), "no exception escaped a host thread: " + child.out());
        Map<String, Long> c = counters(row);
        assertEquals(0, c.get("slotsHeld"), "the agent holds no slot of " + row + ": " + c);
        assertEquals(0, c.get("open"), "open = 0 for " + row + ": " + c);
        assertEquals(0, c.get("awaiting"), c.toString());
        assertEquals(0, c.get("inSession"), c.toString());
        assertEquals(c.get("connects"), c.get("closes") + c.get("abandoned"), "every connection ended once: " + c);
        Peer peer = peers.get(row);
        if (peer != null) {
            peer.awaitOpen(0, Duration.ofSeconds(20));
        }
    }

    /**
     * How many reaps of the row's domain the agent's log tells: a line each, or, for reaps of a burst beyond the
     * first ten (the rows run side by side), a count in the burst's summary line.
     */
    long reapLines(String row) throws InterruptedException {
        finish();
        long named = child.countErr(l -> l.contains("reaped SMTP connection #") && l.contains(" to " + domain(row) + " "));
        Pattern counted = Pattern.compile("[:,] (\\d+) to " + Pattern.quote(domain(row)) + "(,|$)");
        long summarized = 0;
        for (String line : child.err()) {
            if (line.contains(" more SMTP connections within ")) {
                Matcher m = counted.matcher(line);
                if (m.find()) {
                    summarized += Long.parseLong(m.group(1));
                }
            }
        }
        return named + summarized;
    }

    @Override
    public void close() {
        if (child != null) {
            child.close();
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception ignored) {
                // best effort at the end of the class
            }
        }
    }
}

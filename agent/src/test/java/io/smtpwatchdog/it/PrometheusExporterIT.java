package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.ExporterHost;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fleet monitoring: the official Prometheus JMX exporter java agent runs beside ours in one JVM, with the rules the
 * project ships (src/prometheus/smtp-watchdog-exporter.yaml), and its /metrics page shows each destination as a label
 * with the right numbers: a tarpit reaped, two healthy sessions held, one of them under a destination the MBean name
 * must quote. The same scrape proves that the alert rules and the Grafana dashboard beside the exporter rules use only
 * metrics it serves.
 */
class PrometheusExporterIT {
    private static final Duration CHILD = Duration.ofSeconds(120);
    /** A recipient domain written as an address literal: its ':' makes the agent quote the Domain MBean's name. */
    private static final String RELAY_DOMAIN = "[IPv6:2001:db8::25]";
    /** The same destination as the agent names it: domains are compared, and so shown, in lower case. */
    private static final String RELAY_DESTINATION = "[ipv6:2001:db8::25]";
    private static final String DELIVERY = "delivery=" + ExporterHost.class.getName()
            + "#deliver(java.lang.String,java.lang.String,int)@0";
    /** What the exporter prints, then exits, when it cannot start, such as when its port is taken. */
    private static final String EXPORTER_FAILED = "Failed to start Prometheus JMX Exporter";

    private static Path property(String name) {
        String p = System.getProperty(name);
        if (p == null) {
            throw new IllegalStateException("system property " + name + " is not set (run through mvn verify)");
        }
        Path path = Path.of(p).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(name + " names " + path + ", which is not there");
        }
        return path;
    }

    /**
     * A loopback port that was free a moment ago. The child's exporter binds it a second or so later, and another
     * process may take it in between: a tiny race, which the test meets by trying once more with another port when the
     * child says it could not start.
     */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void theExporterServesEachDestinationAsALabelWithItsCounts(Path jdk) throws Exception {
        Path exporter = property("prometheus.exporter.jar");
        Path rules = property("prometheus.rules");
        try (Peer tarpit = Peer.start(Peer.tarpit());
             Peer healthy = Peer.start(Peer.greeter("220 hi\r\n", Duration.ZERO));
             Peer relay = Peer.start(Peer.greeter("220 relay\r\n", Duration.ZERO))) {
            for (int attempt = 1; ; attempt++) {
                int port = freePort();
                // No port of the relay in ports: only the declared delivery method makes that connection SMTP.
                try (ChildJvm c = ChildJvm.on(jdk)
                        .jvm("-javaagent:" + exporter + "=127.0.0.1:" + port + ":" + rules)
                        .agent("bannerTimeout=2s,ports=" + tarpit.port() + "+" + healthy.port() + "," + DELIVERY)
                        .run(ExporterHost.class, String.valueOf(tarpit.port()), String.valueOf(healthy.port()),
                                String.valueOf(relay.port()), RELAY_DOMAIN)) {
                    Scrape s = scrapeOnceSettled(c, port);
                    if (s == null) {
                        assertEquals(1, attempt, "the exporter could not start on two free ports in a row");
                        System.out.println("[test] port " + port + " was taken before the child bound it; again");
                        continue;
                    }
                    check(s);
                    assertEquals(1, tarpit.accepted(), "one connection to the tarpit");
                    return;
                }
            }
        }
    }

    /** The value of the one series of {@code name} that has every label of {@code labels}, in whatever order. */
    private static double labelled(Scrape s, String name, String... labels) {
        List<String> found = new java.util.ArrayList<>();
        for (String series : s.values.keySet()) {
            if (series.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(series::contains)) {
                found.add(series);
            }
        }
        assertEquals(1, found.size(), name + " with " + List.of(labels) + ": " + found);
        return s.value(found.get(0));
    }

    private static void check(Scrape s) {
        // The tarpit, through 127.0.0.1: connected, overdue, reaped, closed.
        String tarpit = "{destination=\"127.0.0.1\"}";
        assertEquals(1, s.value("smtpwatchdog_domain_reaped_total" + tarpit));
        assertEquals(1, s.value("smtpwatchdog_domain_connects_total" + tarpit));
        assertEquals(1, s.value("smtpwatchdog_domain_closes_total" + tarpit));
        assertEquals(0, s.value("smtpwatchdog_domain_open" + tarpit));
        assertEquals(0, s.value("smtpwatchdog_domain_awaiting_greeting" + tarpit));
        assertEquals(0, s.value("smtpwatchdog_domain_oldest_awaiting_seconds" + tarpit));
        assertEquals(2.0, s.value("smtpwatchdog_domain_banner_timeout_seconds" + tarpit), "milliseconds to seconds");

        // The healthy peer, through localhost: greeted and held.
        String healthy = "{destination=\"localhost\"}";
        assertEquals(1, s.value("smtpwatchdog_domain_in_session" + healthy));
        assertEquals(1, s.value("smtpwatchdog_domain_open" + healthy));
        assertEquals(0, s.value("smtpwatchdog_domain_reaped_total" + healthy));
        assertEquals(0, s.value("smtpwatchdog_domain_closes_total" + healthy));

        // The relay, for a destination whose MBean name is quoted: the label is the plain name.
        String relay = "{destination=\"" + RELAY_DESTINATION + "\"}";
        assertEquals(1, s.value("smtpwatchdog_domain_in_session" + relay));
        assertEquals(1, s.value("smtpwatchdog_domain_connects_total" + relay));
        assertFalse(s.text.contains("destination=\"\\\""), "no label value keeps the ObjectName's quotes");

        // The whole watchdog.
        assertEquals(1, s.value("smtpwatchdog_reaped_total"));
        assertEquals(1, s.value("smtpwatchdog_overdue_total"));
        assertEquals(3, s.value("smtpwatchdog_connects_total"));
        assertEquals(1, s.value("smtpwatchdog_closes_total"));
        assertEquals(2, s.value("smtpwatchdog_tracked"));
        assertEquals(2, s.value("smtpwatchdog_in_session"));
        assertEquals(0, s.value("smtpwatchdog_awaiting_greeting"));
        assertEquals(0, s.value("smtpwatchdog_rescued_total"), "nothing was stuck before the agent");
        assertEquals(0, s.value("smtpwatchdog_found_blocked"));
        assertEquals(2.0, s.value("smtpwatchdog_banner_timeout_seconds"));
        assertEquals(1, s.value("smtpwatchdog_mode{mode=\"enforce\"}"));
        assertEquals(1, s.value("smtpwatchdog_mode_in_force{mode=\"enforce\"}"));

        // Reaps by phase: one label each, the greeting's the tarpit's.
        assertEquals(1, labelled(s, "smtpwatchdog_domain_reaped_by_phase_total", "destination=\"127.0.0.1\"",
                "phase=\"greeting\""));
        for (String phase : List.of("command", "mail", "rcpt", "data", "data-end")) {
            assertEquals(0, labelled(s, "smtpwatchdog_domain_reaped_by_phase_total", "destination=\"127.0.0.1\"",
                    "phase=\"" + phase + "\""), phase);
            assertEquals(0, labelled(s, "smtpwatchdog_reaped_by_phase_total", "phase=\"" + phase + "\""), phase);
        }
        assertEquals(1, labelled(s, "smtpwatchdog_reaped_by_phase_total", "phase=\"greeting\""));

        // Types, as Prometheus reads them.
        for (String counter : List.of("smtpwatchdog_domain_reaped_total", "smtpwatchdog_reaped_total",
                "smtpwatchdog_domain_slots_recovered_total", "smtpwatchdog_failed_connects_total",
                "smtpwatchdog_rescued_total", "smtpwatchdog_domain_rescued_total",
                "smtpwatchdog_reaped_by_phase_total", "smtpwatchdog_domain_reaped_by_phase_total")) {
            assertTrue(s.text.contains("\n# TYPE " + counter + " counter\n"), counter + " is a counter");
        }
        for (String gauge : List.of("smtpwatchdog_domain_awaiting_greeting", "smtpwatchdog_domain_slots_held",
                "smtpwatchdog_tracked", "smtpwatchdog_banner_timeout_seconds")) {
            assertTrue(s.text.contains("\n# TYPE " + gauge + " gauge\n"), gauge + " is a gauge");
        }

        theMonitoringKitUsesOnlyServedMetrics(s);

        // Our MBeans and nothing else of JMX: the rest is the exporter's own (jmx_*) and its JVM and process metrics.
        for (String series : s.values.keySet()) {
            assertTrue(series.startsWith("smtpwatchdog_") || series.startsWith("jvm_")
                    || series.startsWith("process_") || series.startsWith("jmx_"), "unexpected series " + series);
        }
    }

    private static final Pattern METRIC = Pattern.compile("smtpwatchdog_[a-z_]+");
    /** A JSON string member "expr" or "query" (panel targets, template variables), its value with JSON escapes. */
    private static final Pattern DASHBOARD_QUERY = Pattern.compile("\"(?:expr|query)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** A YAML "expr:" (with its value on the line, or a block scalar on the more indented lines below) or "series:". */
    private static final Pattern YAML_KEY = Pattern.compile("^(\\s*)(?:- )?(expr|series):\\s*(.*)$");

    /**
     * The alert rules, their unit tests' input series and the Grafana dashboard name metrics by hand: a metric renamed
     * in the exporter rules (or the agent's MBeans) would leave them querying nothing, and an alert on nothing never
     * fires. Every smtpwatchdog_ name they use must be a family of this real scrape.
     */
    private static void theMonitoringKitUsesOnlyServedMetrics(Scrape s) {
        Set<String> served = new TreeSet<>();
        for (String line : s.text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                served.add(line.split(" ")[2]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                served.add(line.split("[{ ]")[0]);
            }
        }
        Path alerts = property("prometheus.alerts");
        Map<Path, Set<String>> used = new LinkedHashMap<>();
        used.put(alerts, namesInYaml(alerts));
        Path alertTests = alerts.resolveSibling("smtp-watchdog-alerts.test.yaml");
        used.put(alertTests, namesInYaml(alertTests));
        Path dashboard = property("prometheus.dashboard");
        used.put(dashboard, namesIn(DASHBOARD_QUERY.matcher(read(dashboard)).results().map(m -> m.group(1))
                .collect(Collectors.joining("\n"))));
        for (Map.Entry<Path, Set<String>> e : used.entrySet()) {
            // A parser that found nothing would pass vacuously.
            assertTrue(e.getValue().size() >= 4, e.getKey() + ": too few metrics found, the parsing broke: "
                    + e.getValue());
            Set<String> missing = new TreeSet<>(e.getValue());
            missing.removeAll(served);
            assertTrue(missing.isEmpty(), e.getKey().getFileName() + " uses " + missing
                    + ", which the exporter does not serve; it serves " + served);
        }
        assertTrue(used.get(dashboard).containsAll(List.of("smtpwatchdog_domain_open", "smtpwatchdog_tracked",
                "smtpwatchdog_mode_in_force")), "the dashboard's variables and totals: " + used.get(dashboard));
    }

    private static Set<String> namesInYaml(Path file) {
        StringBuilder exprs = new StringBuilder();
        String[] lines = read(file).split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = YAML_KEY.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            exprs.append(m.group(3)).append('\n');
            if (m.group(3).startsWith(">") || m.group(3).startsWith("|")) {
                int indent = m.group(1).length();
                while (i + 1 < lines.length && (lines[i + 1].isBlank()
                        || lines[i + 1].length() - lines[i + 1].stripLeading().length() > indent)) {
                    exprs.append(lines[++i]).append('\n');
                }
            }
        }
        return namesIn(exprs.toString());
    }

    private static Set<String> namesIn(String text) {
        return METRIC.matcher(text).results().map(MatchResult::group).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Scrapes {@code /metrics} until the scenario has settled: the tarpit reaped and closed, both healthy sessions
     * greeted. Returns a scrape of the settled state, or null when the child says its exporter could not start (the port was taken).
     */
    private static Scrape scrapeOnceSettled(ChildJvm c, int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + CHILD.toNanos();
        Scrape last = null;
        String lastError = null;
        while (System.nanoTime() < deadline) {
            if (c.err().stream().anyMatch(l -> l.contains(EXPORTER_FAILED))
                    || c.out().stream().anyMatch(l -> l.contains(EXPORTER_FAILED))) {
                c.exitCode(CHILD); // the exporter exits the JVM; every line it wrote is in
                String why = String.join("\n", c.err());
                assertTrue(why.contains("BindException") || why.contains("Address already in use"),
                        "the exporter failed for another reason than a taken port:\n" + why);
                return null;
            }
            try {
                HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    last = new Scrape(r.body());
                    if (last.has("smtpwatchdog_domain_closes_total{destination=\"127.0.0.1\"}", 1)
                            && last.has("smtpwatchdog_closes_total", 1)
                            && last.has("smtpwatchdog_domain_in_session{destination=\"localhost\"}", 1)
                            && last.has("smtpwatchdog_domain_in_session{destination=\"" + RELAY_DESTINATION
                                    + "\"}", 1)) {
                        // The exporter reads attribute after attribute while the agent counts, so a scrape can
                        // catch a reap half counted. The close is the last thing that happens to the tarpit's
                        // connection: a scrape begun after one that saw it counted sees only settled numbers.
                        Scrape settled = new Scrape(http.send(get, HttpResponse.BodyHandlers.ofString()).body());
                        System.out.println("[test] settled scrape, our series:\n" + settled.ours());
                        return settled;
                    }
                } else {
                    lastError = "HTTP " + r.statusCode();
                }
            } catch (IOException notYet) {
                lastError = notYet.toString(); // the exporter is not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the scrape did not show the settled scenario within " + CHILD + "; last error "
                + lastError + "; last scrape:\n" + (last == null ? "(none)" : last.ours()) + "\nchild stderr: "
                + c.err());
    }

    /** One /metrics page in the Prometheus text format: each series ({@code name{labels}}) with its value. */
    private static final class Scrape {
        final String text;
        final Map<String, Double> values = new LinkedHashMap<>();

        Scrape(String text) {
            this.text = text;
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }

        boolean has(String series, double value) {
            Double v = values.get(series);
            return v != null && v == value;
        }

        double value(String series) {
            Double v = values.get(series);
            if (v == null) {
                throw new AssertionError("no series " + series + " in:\n" + ours());
            }
            return v;
        }

        String ours() {
            StringBuilder b = new StringBuilder();
            for (String line : text.split("\n")) {
                if (line.contains("smtpwatchdog_")) {
                    b.append(line).append('\n');
                }
            }
            return b.toString();
        }
    }
}

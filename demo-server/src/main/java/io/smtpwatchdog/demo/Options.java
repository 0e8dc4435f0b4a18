package io.smtpwatchdog.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The command line. Every mistake becomes a {@link UsageException} whose message names the option and the
 * accepted form, so the operator gets one line to act on and never a stack trace.
 */
public final class Options {
    /** Options that only make sense for the self-contained demo. */
    private static final List<String> DEMO_ONLY = List.of("--messages", "--heal-after", "--duration",
            "--remote-port", "--stall-mail");

    private static final Set<String> VALUED = Set.of("--port", "--spool", "--routes", "--threads",
            "--per-domain-limit", "--retry-base", "--max-attempts", "--max-message-size", "--connect-timeout",
            "--greeting-timeout", "--reply-timeout", "--status-interval", "--messages", "--heal-after",
            "--duration", "--remote-port");

    private boolean help;
    private boolean demo;
    private boolean fixedClient;
    private boolean stallMail;
    private Integer port;
    private Path spool;
    private Path routes;
    private int threads = 2;
    private int perDomainLimit = 2;
    private Duration retryBase;
    private int maxAttempts = 10;
    private long maxMessageSize = 10L * 1024 * 1024;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration greetingTimeout = Duration.ofSeconds(30);
    private Duration replyTimeout = Duration.ofMinutes(5);
    private Duration statusInterval;
    private int messages = 5;
    private Duration healAfter = Duration.ofSeconds(20);
    private Duration duration = Duration.ofSeconds(45);
    private int remotePort = 2525;
    private final Set<String> given = new HashSet<>();

    private Options() {
    }

    /** The text {@code --help} prints. */
    public static String usage() {
        return String.join(System.lineSeparator(),
                "usage: java -jar demo-server.jar [--demo] [options]",
                "A legacy-style SMTP relay with the outbound defects of Microsoft KB Q175982, on purpose.",
                "",
                "  --demo                   run the whole story in one process (sink, tarpit, relay, mail)",
                "  --port N                 inbound SMTP port on 127.0.0.1 (default 2525; 0 in --demo)",
                "  --spool DIR              spool directory (default ./spool; a fresh temp dir in --demo)",
                "  --routes FILE            routes file, lines '<domain> <host>:<port>[,...]' (required without --demo)",
                "  --threads N              delivery threads (default 2)",
                "  --per-domain-limit N     simultaneous connections per domain (default 2)",
                "  --retry-base DURATION    first retry delay, doubling up to 64x (default 60s; 1s in --demo)",
                "  --max-attempts N         attempts before a recipient is given up (default 10)",
                "  --max-message-size SIZE  largest message accepted (default 10m)",
                "  --connect-timeout DURATION  TCP connect bound (default 30s)",
                "  --fixed-client           bounded greeting wait and no leaked slots (not the legacy behaviour)",
                "  --greeting-timeout DURATION  greeting wait bound with --fixed-client (default 30s)",
                "  --reply-timeout DURATION wait bound for replies after the greeting (default 5m)",
                "  --status-interval DURATION  STATUS line period (default 10s; 5s in --demo)",
                "  --messages N             --demo: messages per domain (default 5)",
                "  --heal-after DURATION    --demo: when the tarpit starts greeting new connections (default 20s)",
                "  --duration DURATION      --demo: how long the demo runs (default 45s)",
                "  --remote-port P          --demo: port of the simulated remote hosts, 0 = any (default 2525)",
                "  --stall-mail             --demo: add stall.example, whose host greets and never answers MAIL FROM",
                "  --help                   this text",
                "",
                "DURATION is " + Durations.FORM + "; SIZE is " + Sizes.FORM + ".");
    }

    /** Parses {@code args}; {@code --name value} and {@code --name=value} are both accepted. */
    public static Options parse(String... args) throws UsageException {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'; options start with -- (see --help)");
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String inline = eq < 0 ? null : arg.substring(eq + 1);
            o.given.add(name);
            switch (name) {
                case "--help" -> o.help = o.flag(name, inline);
                case "--demo" -> o.demo = o.flag(name, inline);
                case "--fixed-client" -> o.fixedClient = o.flag(name, inline);
                case "--stall-mail" -> o.stallMail = o.flag(name, inline);
                default -> {
                    if (!VALUED.contains(name)) {
                        throw new UsageException("unknown option '" + name + "' (see --help)");
                    }
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(name + ": missing value" + o.formOf(name));
                        }
                        value = args[++i];
                    }
                    o.set(name, value);
                }
            }
        }
        o.check();
        return o;
    }

    private boolean flag(String name, String inline) throws UsageException {
        if (inline != null) {
            throw new UsageException(name + ": takes no value, got '" + inline + "'");
        }
        return true;
    }

    private void set(String name, String value) throws UsageException {
        switch (name) {
            case "--port" -> port = integer(name, value, 0, 65535);
            case "--spool" -> spool = Path.of(nonEmpty(name, value, "a directory"));
            case "--routes" -> routes = Path.of(nonEmpty(name, value, "a file"));
            case "--threads" -> threads = integer(name, value, 1, 1000);
            case "--per-domain-limit" -> perDomainLimit = integer(name, value, 1, 1000);
            case "--retry-base" -> retryBase = duration(name, value, true);
            case "--max-attempts" -> maxAttempts = integer(name, value, 1, 1000);
            case "--max-message-size" -> maxMessageSize = parse(name, value, Sizes::parse);
            case "--connect-timeout" -> connectTimeout = duration(name, value, true);
            case "--greeting-timeout" -> greetingTimeout = duration(name, value, true);
            case "--reply-timeout" -> replyTimeout = duration(name, value, true);
            case "--status-interval" -> statusInterval = duration(name, value, true);
            case "--messages" -> messages = integer(name, value, 1, 10_000);
            case "--heal-after" -> healAfter = duration(name, value, false);
            case "--duration" -> duration = duration(name, value, true);
            case "--remote-port" -> remotePort = integer(name, value, 0, 65535);
            default -> throw new UsageException("unknown option '" + name + "' (see --help)");
        }
    }

    private String formOf(String name) {
        return switch (name) {
            case "--spool" -> " (expected a directory)";
            case "--routes" -> " (expected a file)";
            case "--retry-base", "--connect-timeout", "--greeting-timeout", "--reply-timeout",
                 "--status-interval", "--heal-after", "--duration" -> " (expected " + Durations.FORM + ")";
            case "--max-message-size" -> " (expected " + Sizes.FORM + ")";
            case "--port", "--threads", "--per-domain-limit", "--max-attempts", "--messages", "--remote-port" ->
                    " (expected a whole number)";
            default -> "";
        };
    }

    private void check() throws UsageException {
        if (help) {
            return;
        }
        if (!demo) {
            for (String option : DEMO_ONLY) {
                if (given.contains(option)) {
                    throw new UsageException(option + ": only valid with --demo");
                }
            }
            if (routes == null) {
                throw new UsageException("--routes: required without --demo (expected a file of lines"
                        + " '<domain> <host>:<port>[,...]')");
            }
        } else if (routes != null) {
            throw new UsageException("--routes: not valid with --demo, which routes to its own simulated hosts");
        }
    }

    private static int integer(String name, String value, int min, int max) throws UsageException {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Reported below with the accepted range.
        }
        throw new UsageException(name + ": expected a whole number " + min + ".." + max + ", got '" + value + "'");
    }

    private static Duration duration(String name, String value, boolean positive) throws UsageException {
        Duration d = parse(name, value, Durations::parse);
        if (positive && d.isZero()) {
            throw new UsageException(name + ": must be more than 0, got '" + value + "'");
        }
        if (d.toMillis() > Integer.MAX_VALUE) {
            throw new UsageException(name + ": at most 596h, got '" + value + "'");
        }
        return d;
    }

    private static <T> T parse(String name, String value, Function<String, T> parser) throws UsageException {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(name + ": " + e.getMessage());
        }
    }

    private static String nonEmpty(String name, String value, String what) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(name + ": expected " + what + ", got ''");
        }
        return value;
    }

    /** Whether only the usage text was asked for. */
    public boolean help() {
        return help;
    }

    /** Inbound port: as given, else 2525, else any free one in the demo. */
    public int port() {
        return port != null ? port : demo ? 0 : 2525;
    }

    /** The spool directory, or {@code null} in the demo when none was given (it then makes a temp one). */
    public Path spool() {
        return spool != null ? spool : demo ? null : Path.of("spool");
    }

    /** The routes file; {@code null} in the demo. */
    public Path routes() {
        return routes;
    }

    /** Delivery threads. */
    public int threads() {
        return threads;
    }

    /** Connections per domain. */
    public int perDomainLimit() {
        return perDomainLimit;
    }

    /** The first retry delay: quick in the demo so that the story fits in a minute. */
    public Duration retryBase() {
        return retryBase != null ? retryBase : demo ? Duration.ofSeconds(1) : Duration.ofSeconds(60);
    }

    /** Attempts before giving up. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** The largest message accepted, in octets. */
    public long maxMessageSize() {
        return maxMessageSize;
    }

    /** Whether the corrected client is used. */
    public boolean fixedClient() {
        return fixedClient;
    }

    /** The TCP connect bound. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The greeting wait bound of the fixed client. */
    public Duration greetingTimeout() {
        return greetingTimeout;
    }

    /** The bound on replies after the greeting. */
    public Duration replyTimeout() {
        return replyTimeout;
    }

    /** How often STATUS lines are printed. */
    public Duration statusInterval() {
        return statusInterval != null ? statusInterval : demo ? Duration.ofSeconds(5) : Duration.ofSeconds(10);
    }

    /** Messages the demo submits per domain. */
    public int messages() {
        return messages;
    }

    /** When the demo's tarpit starts to greet new connections. */
    public Duration healAfter() {
        return healAfter;
    }

    /** How long the demo runs. */
    public Duration duration() {
        return duration;
    }

    /** The port of the demo's simulated remote hosts. */
    public int remotePort() {
        return remotePort;
    }

    /** Whether the demo adds a third domain whose host never answers MAIL FROM. */
    public boolean stallMail() {
        return stallMail;
    }

    /** Whether the self-contained demo is to run. */
    public boolean demo() {
        return demo;
    }
}

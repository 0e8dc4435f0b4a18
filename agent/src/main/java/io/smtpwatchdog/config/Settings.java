package io.smtpwatchdog.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's effective settings, immutable, each value remembered with the source it came from.
 *
 * <p>Obtained from {@link Options#resolve} or {@link #defaults()}.
 */
public final class Settings {
    /** Nothing to wait for: sockets connected before the hooks are live are found and rescued (see rescue). */
    private static final long DEFAULT_STARTUP_WAIT_MILLIS = 0L;
    /**
     * With {@code slotAcquire} declared, a slot taken before that hook is live is never seen and can never be given
     * back, so by default the host waits for the hooks, as long as this at most.
     */
    private static final long DEFAULT_STARTUP_WAIT_WITH_SLOTS_MILLIS = 5000L;
    private static final long DEFAULT_SLOT_GRACE_MILLIS = 2000L;
    /** The reply deadlines after the greeting, in the order they are described. */
    private static final Key[] REPLY_TIMEOUTS = {Key.MAIL_TIMEOUT, Key.RCPT_TIMEOUT, Key.DATA_TIMEOUT,
        Key.DATA_END_TIMEOUT, Key.COMMAND_TIMEOUT};
    /** Where a value came from when no source gave one. */
    static final String DEFAULT_SOURCE = "default";

    private final long bannerTimeoutMillis;
    private final Mode mode;
    private final int[] ports;
    private final int[] sortedPorts;
    private final String logLevel;
    private final int maxDestinations;
    private final long startupWaitMillis;
    private final long slotGraceMillis;
    private final boolean captureStacks;
    /** The reply deadlines after the greeting, by key; 0 is off. */
    private final EnumMap<Key, Long> replyTimeouts = new EnumMap<Key, Long>(Key.class);
    /** delivery, then slotAcquire, then slotRelease, each in the order written. */
    private final List<Declaration> declarations;
    private final String configFile;
    private final EnumMap<Key, String> sources;

    /**
     * @param values parsed values by key, as {@link Values#parse} returns them; missing keys take their default
     * @param sources where each value in {@code values} came from
     */
    Settings(Map<Key, Object> values, Map<Key, String> sources) {
        Object timeout = values.get(Key.BANNER_TIMEOUT);
        // RFC 5321 section 4.5.3.2 gives clients 5 minutes to wait for the initial 220 greeting.
        this.bannerTimeoutMillis = timeout == null ? 5 * 60 * 1000L : (Long) timeout;
        Object mode = values.get(Key.MODE);
        this.mode = mode == null ? Mode.ENFORCE : (Mode) mode;
        Object ports = values.get(Key.PORTS);
        // SMTP, SMTPS, submission, and the common alternative submission port.
        this.ports = ports == null ? new int[] {25, 465, 587, 2525} : ((int[]) ports).clone();
        this.sortedPorts = this.ports.clone();
        Arrays.sort(this.sortedPorts);
        Object logLevel = values.get(Key.LOG_LEVEL);
        this.logLevel = logLevel == null ? "info" : (String) logLevel;
        Object maxDestinations = values.get(Key.MAX_DESTINATIONS);
        this.maxDestinations = maxDestinations == null ? 1000 : (Integer) maxDestinations;
        Object startupWait = values.get(Key.STARTUP_WAIT);
        Object slotGrace = values.get(Key.SLOT_GRACE);
        this.slotGraceMillis = slotGrace == null ? DEFAULT_SLOT_GRACE_MILLIS : (Long) slotGrace;
        this.captureStacks = Boolean.TRUE.equals(values.get(Key.CAPTURE_STACKS));
        for (Key key : REPLY_TIMEOUTS) {
            Object given = values.get(key);
            replyTimeouts.put(key, given == null ? defaultReplyTimeout(key) : (Long) given);
        }
        List<Declaration> declarations = new ArrayList<Declaration>();
        for (Key key : new Key[] {Key.DELIVERY, Key.SLOT_ACQUIRE, Key.SLOT_RELEASE}) {
            Object declared = values.get(key);
            if (declared != null) {
                for (Object declaration : (List<?>) declared) {
                    declarations.add((Declaration) declaration);
                }
            }
        }
        this.declarations = Collections.unmodifiableList(declarations);
        boolean slots = false;
        for (Declaration d : declarations) {
            slots |= d.kind() == Declaration.Kind.SLOT_ACQUIRE;
        }
        this.startupWaitMillis = startupWait != null ? (Long) startupWait
                : slots ? DEFAULT_STARTUP_WAIT_WITH_SLOTS_MILLIS : DEFAULT_STARTUP_WAIT_MILLIS;
        this.configFile = (String) values.get(Key.CONFIG);
        this.sources = new EnumMap<Key, String>(Key.class);
        for (Key key : Key.values()) {
            String source = sources.get(key);
            this.sources.put(key, values.containsKey(key) && source != null ? source : DEFAULT_SOURCE);
        }
    }

    /**
     * Returns the settings used when no option is given anywhere.
     *
     * @return bannerTimeout=5m, mode=enforce, ports=25+465+587+2525, logLevel=info, maxDestinations=1000, startupWait=5s,
     *     slotGrace=2s, and no declarations
     */
    public static Settings defaults() {
        return new Settings(new EnumMap<Key, Object>(Key.class), new EnumMap<Key, String>(Key.class));
    }

    /**
     * How long a connection to a watched port may wait for its 220 greeting before it is reaped
     * (option {@code bannerTimeout}; default 5 minutes, the RFC 5321 section 4.5.3.2 initial 220 timeout).
     *
     * @return the timeout in milliseconds, at least 1
     */
    public long bannerTimeoutMillis() {
        return bannerTimeoutMillis;
    }

    /**
     * How long a client may wait for the reply to a command after the greeting before its connection is reaped,
     * for the option {@code mailTimeout}, {@code rcptTimeout}, {@code dataTimeout} (the 354 after DATA),
     * {@code dataEndTimeout} (the reply after the final dot or the last BDAT chunk) or {@code commandTimeout} (every
     * other command, and a TLS handshake after STARTTLS). Defaults are RFC 5321 section 4.5.3.2's minimums: 5m, 5m,
     * 2m, 10m and 5m.
     *
     * @param option one of the five option names
     * @return the timeout in milliseconds, 0 when the option is {@code off}
     * @throws IllegalArgumentException if {@code option} is not one of them
     */
    public long replyTimeoutMillis(String option) {
        Key key = Key.byText(option);
        Long millis = key == null ? null : replyTimeouts.get(key);
        if (millis == null) {
            throw new IllegalArgumentException("not a reply timeout option: " + option);
        }
        return millis;
    }

    private static long defaultReplyTimeout(Key key) {
        switch (key) {
            case DATA_TIMEOUT:
                return 2 * 60 * 1000L;
            case DATA_END_TIMEOUT:
                return 10 * 60 * 1000L;
            default:
                return 5 * 60 * 1000L;
        }
    }

    /**
     * Whether overdue connections are closed or only reported (option {@code mode}; default
     * {@link Mode#ENFORCE}).
     *
     * @return the mode
     */
    public Mode mode() {
        return mode;
    }

    /**
     * Whether connections to {@code port} are watched (option {@code ports}).
     *
     * @param port a remote port
     * @return true if {@code port} is one of {@link #ports()}
     */
    public boolean watchesPort(int port) {
        return Arrays.binarySearch(sortedPorts, port) >= 0;
    }

    /**
     * The remote ports whose connections are watched (option {@code ports}; default 25, 465, 587 and 2525).
     *
     * @return a fresh copy, in the order they were given, without duplicates, each in 1..65535
     */
    public int[] ports() {
        return ports.clone();
    }

    /**
     * The least severe level the agent logs (option {@code logLevel}; default {@code info}).
     *
     * @return {@code "error"}, {@code "warn"}, {@code "info"} or {@code "debug"}
     */
    public String logLevel() {
        return logLevel;
    }

    /**
     * How many destinations get counters of their own (option {@code maxDestinations}; default 1000).
     * Destinations beyond that share the counters of one overflow destination named {@code (other)}, so a host
     * that mails to ever new relays cannot grow the agent's memory without bound.
     *
     * @return at least 1
     */
    public int maxDestinations() {
        return maxDestinations;
    }

    /**
     * How long premain holds up the host's start until the hooks are live (option {@code startupWait}; default
     * 0ms, or 5s when a {@code slotAcquire} is declared). Sockets connected before the hooks are live are not
     * tracked, but a reader stuck in one is found and rescued, so the host need not wait; a slot its server took
     * before the acquire hook was live could never be given back, so with slots declared it waits by default.
     *
     * @return the wait in milliseconds, 0 to 60000
     */
    public long startupWaitMillis() {
        return startupWaitMillis;
    }

    /**
     * After a tracked socket that holds one of the server's connection slots ends, how long the agent waits for the
     * server to release the slot itself before it releases it on the server's behalf (option {@code slotGrace};
     * default 2s). See {@code slotAcquire} and {@code slotRelease}.
     *
     * @return the grace in milliseconds, 0 to 60000
     */
    public long slotGraceMillis() {
        return slotGraceMillis;
    }

    /**
     * Whether each tracked connection remembers the stack that opened it, for the JMX {@code Connections} table
     * (option {@code captureStacks}; default false: it costs an allocation and a stack walk on every connect).
     *
     * @return true to capture
     */
    public boolean captureStacks() {
        return captureStacks;
    }

    /**
     * The methods of the host's mail server that the operator declared (options {@code delivery},
     * {@code slotAcquire} and {@code slotRelease}; none by default). See {@link Declaration} for their form.
     *
     * @return unmodifiable: the {@link Declaration.Kind#DELIVERY delivery} declarations, then the
     *     {@link Declaration.Kind#SLOT_ACQUIRE slotAcquire} ones, then the {@link Declaration.Kind#SLOT_RELEASE
     *     slotRelease} ones, each in the order written; empty if none was declared
     */
    public List<Declaration> declarations() {
        return declarations;
    }

    /**
     * The properties file that supplied lower-precedence values (option {@code config}).
     *
     * @return the path as given, or null if no config file was named
     */
    public String configFile() {
        return configFile;
    }

    /**
     * Where the value of {@code key} came from, for the startup log line.
     *
     * @param key an option key as written in agent arguments: {@code bannerTimeout}, {@code mode},
     *     {@code ports}, {@code logLevel}, {@code maxDestinations}, {@code startupWait}, {@code slotGrace},
     *     {@code delivery}, {@code slotAcquire}, {@code slotRelease} or {@code config}
     * @return one of {@code "agent argument"}, {@code "system property smtpwatchdog.<key>"},
     *     {@code "environment variable SMTPWATCHDOG_<KEY>"}, {@code "config file <path>"} or {@code "default"};
     *     null if {@code key} is not an option key
     */
    public String sourceOf(String key) {
        Key known = Key.byText(key);
        return known == null ? null : sources.get(known);
    }

    /**
     * A one-line summary of the effective settings, such as
     * {@code bannerTimeout=5m,mode=enforce,ports=25+465+587+2525,logLevel=info,maxDestinations=1000,startupWait=5s,slotGrace=2s},
     * followed by each kind of declaration there is, as in
     * {@code ,delivery=com.acme.mail.Relay#deliver(java.lang.String,..)@0} (several of one kind separated by a space,
     * each without optional whitespace), then by {@code ,config=<path>} if a config file was named. Written in agent
     * argument form, so that it can be passed back as one (unless the config path holds a {@code ,} outside
     * parentheses, or parentheses that do not balance).
     *
     * @return the summary
     */
    public String describe() {
        StringBuilder text = new StringBuilder(128);
        for (Key key : new Key[] {Key.BANNER_TIMEOUT, Key.MODE, Key.PORTS, Key.LOG_LEVEL, Key.MAX_DESTINATIONS,
                Key.STARTUP_WAIT, Key.SLOT_GRACE}) {
            text.append(text.length() == 0 ? "" : ",").append(key.text).append('=').append(valueText(key));
        }
        for (Key key : REPLY_TIMEOUTS) {
            text.append(',').append(key.text).append('=').append(valueText(key));
        }
        if (captureStacks) {
            text.append(',').append(Key.CAPTURE_STACKS.text).append("=true");
        }
        Declaration.Kind kind = null;
        for (Declaration declaration : declarations) {
            if (declaration.kind() != kind) {
                kind = declaration.kind();
                text.append(',').append(kind.key()).append('=');
            } else {
                text.append(' ');
            }
            text.append(declaration.canonical());
        }
        if (configFile != null) {
            text.append(',').append(Key.CONFIG.text).append('=').append(valueText(Key.CONFIG));
        }
        return text.toString();
    }

    /**
     * Every option's value in force, as an operator writes it, in the order of the option keys: the same values as
     * {@link #describe()}, but all of them (false, none and defaults included), for a listing beside {@link
     * #sourceOf(String)}.
     *
     * @return option key to value text; declarations joined by a space, {@code none} when there are none
     */
    public Map<String, String> values() {
        Map<String, String> m = new java.util.LinkedHashMap<String, String>();
        for (Key key : Key.values()) {
            m.put(key.text, valueText(key));
        }
        return m;
    }

    private String valueText(Key key) {
        switch (key) {
            case BANNER_TIMEOUT:
                return Durations.format(bannerTimeoutMillis);
            case MODE:
                return mode.text();
            case PORTS:
                StringBuilder ports = new StringBuilder();
                for (int i = 0; i < this.ports.length; i++) {
                    ports.append(i == 0 ? "" : "+").append(this.ports[i]);
                }
                return ports.toString();
            case LOG_LEVEL:
                return logLevel;
            case MAX_DESTINATIONS:
                return String.valueOf(maxDestinations);
            case STARTUP_WAIT:
                return Durations.format(startupWaitMillis);
            case SLOT_GRACE:
                return Durations.format(slotGraceMillis);
            case CAPTURE_STACKS:
                return String.valueOf(captureStacks);
            case MAIL_TIMEOUT:
            case RCPT_TIMEOUT:
            case DATA_TIMEOUT:
            case DATA_END_TIMEOUT:
            case COMMAND_TIMEOUT:
                long millis = replyTimeouts.get(key);
                return millis == 0 ? "off" : Durations.format(millis);
            case DELIVERY:
            case SLOT_ACQUIRE:
            case SLOT_RELEASE:
                StringBuilder declared = new StringBuilder();
                for (Declaration d : declarations) {
                    if (d.kind().key().equals(key.text)) {
                        declared.append(declared.length() == 0 ? "" : " ").append(d.canonical());
                    }
                }
                return declared.length() == 0 ? "none" : declared.toString();
            case CONFIG:
                return configFile == null ? "none" : Messages.oneLine(configFile);
            default:
                throw new AssertionError(key);
        }
    }

    /** Same as {@link #describe()}. */
    @Override
    public String toString() {
        return describe();
    }
}

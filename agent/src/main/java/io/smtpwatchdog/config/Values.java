package io.smtpwatchdog.config;

import java.util.Arrays;
import java.util.BitSet;

/** Parses and checks each key's value; the accepted forms quoted in error messages live here too. */
final class Values {
    static final int MIN_PORT = 1;
    static final int MAX_PORT = 65535;
    /**
     * Each destination with its own counters costs memory for the life of the JVM; a million is far beyond
     * any real mail host's set of relays, yet keeps a mistyped extra digit from becoming a leak.
     */
    static final int MAX_DESTINATIONS_LIMIT = 1000000;
    /** Holding up a host's start longer than this is never what an operator wants from a watchdog. */
    static final long MAX_STARTUP_WAIT_MILLIS = 60000L;
    /**
     * A slot held a minute after its socket ended is already a minute of lost throughput; a server that needs longer
     * to release its own slot is not going to release it.
     */
    static final long MAX_SLOT_GRACE_MILLIS = 60000L;

    private Values() {
    }

    /** The form a key's value must take, as told to the operator; ports depend on the source. */
    static String form(Key key, RawOption.Kind kind) {
        switch (key) {
            case BANNER_TIMEOUT:
                return Durations.FORM + ", at least 1ms";
            case MODE:
                return "enforce or monitor";
            case PORTS:
                return kind == RawOption.Kind.AGENT_ARGUMENT
                        ? "port numbers " + MIN_PORT + ".." + MAX_PORT + " joined with '+', as in ports=25+2525"
                        : "port numbers " + MIN_PORT + ".." + MAX_PORT + " separated by ',' or '+', as in 25,2525";
            case LOG_LEVEL:
                return "error, warn, info or debug";
            case MAX_DESTINATIONS:
                return "a whole number from 1 to " + MAX_DESTINATIONS_LIMIT;
            case STARTUP_WAIT:
                return Durations.FORM + ", from 0ms (do not wait) to 1m";
            case SLOT_GRACE:
                return Durations.FORM + ", from 0ms to 1m";
            case CAPTURE_STACKS:
                return "true or false";
            case MAIL_TIMEOUT:
            case RCPT_TIMEOUT:
            case DATA_TIMEOUT:
            case DATA_END_TIMEOUT:
            case COMMAND_TIMEOUT:
                return Durations.FORM + ", at least 1ms, or off";
            case DELIVERY:
            case SLOT_ACQUIRE:
            case SLOT_RELEASE:
                return Declarations.FORM;
            case CONFIG:
                return "the path of a readable properties file";
            default:
                throw new AssertionError(key);
        }
    }

    /**
     * Parses one value.
     *
     * @return a {@code Long} (bannerTimeout, startupWait, slotGrace and the reply timeouts, millis, 0 for off), {@link Mode}, {@code int[]} (ports, in the given order),
     *     {@code String} (logLevel in lower case; config path), {@code Integer} (maxDestinations) or an
     *     unmodifiable {@code List<Declaration>} (delivery, slotAcquire and slotRelease, in the order written)
     */
    static Object parse(RawOption option) throws OptionError {
        String text = option.text;
        if (text.isEmpty()) {
            throw Messages.badValue(option, "the value is empty", form(option.key, option.kind));
        }
        switch (option.key) {
            case BANNER_TIMEOUT:
                return parseTimeout(option);
            case MODE:
                return parseMode(option);
            case PORTS:
                return parsePorts(option);
            case LOG_LEVEL:
                return parseLogLevel(option);
            case MAX_DESTINATIONS:
                return parseMaxDestinations(option);
            case STARTUP_WAIT:
                return parseUpToOneMinute(option, MAX_STARTUP_WAIT_MILLIS);
            case SLOT_GRACE:
                return parseUpToOneMinute(option, MAX_SLOT_GRACE_MILLIS);
            case CAPTURE_STACKS:
                if (option.text.equalsIgnoreCase("true") || option.text.equalsIgnoreCase("false")) {
                    return Boolean.valueOf(option.text.toLowerCase(java.util.Locale.ROOT));
                }
                throw Messages.badValue(option, null, form(option.key, option.kind));
            case MAIL_TIMEOUT:
            case RCPT_TIMEOUT:
            case DATA_TIMEOUT:
            case DATA_END_TIMEOUT:
            case COMMAND_TIMEOUT:
                return option.text.equalsIgnoreCase("off") ? Long.valueOf(0L) : parseTimeout(option);
            case DELIVERY:
                return Declarations.parse(option, Declaration.Kind.DELIVERY);
            case SLOT_ACQUIRE:
                return Declarations.parse(option, Declaration.Kind.SLOT_ACQUIRE);
            case SLOT_RELEASE:
                return Declarations.parse(option, Declaration.Kind.SLOT_RELEASE);
            case CONFIG:
                return text;
            default:
                throw new AssertionError(option.key);
        }
    }

    private static Long parseTimeout(RawOption option) throws OptionError {
        long[] millis = new long[1];
        String problem = Durations.tryParse(option.text, millis);
        if (problem == null && millis[0] == 0) {
            problem = "a zero timeout would reap every connection at once";
        }
        if (problem != null) {
            throw Messages.badValue(option, problem, form(option.key, option.kind));
        }
        return millis[0];
    }

    /** A duration from 0ms to {@code max}, which is {@code 1m}. */
    private static Long parseUpToOneMinute(RawOption option, long max) throws OptionError {
        long[] millis = new long[1];
        String problem = Durations.tryParse(option.text, millis);
        if (problem == null && millis[0] > max) {
            problem = "it is longer than " + Durations.format(max);
        }
        if (problem != null) {
            throw Messages.badValue(option, problem, form(option.key, option.kind));
        }
        return millis[0];
    }

    private static Mode parseMode(RawOption option) throws OptionError {
        for (Mode mode : Mode.values()) {
            if (mode.text().equalsIgnoreCase(option.text)) {
                return mode;
            }
        }
        throw Messages.badValue(option, null, form(option.key, option.kind));
    }

    private static String parseLogLevel(RawOption option) throws OptionError {
        for (String level : new String[] {"error", "warn", "info", "debug"}) {
            if (level.equalsIgnoreCase(option.text)) {
                return level;
            }
        }
        throw Messages.badValue(option, null, form(option.key, option.kind));
    }

    private static Integer parseMaxDestinations(RawOption option) throws OptionError {
        long value = parseWholeNumber(option.text, MAX_DESTINATIONS_LIMIT);
        String problem = value < 0 ? "it is not a whole number"
                : value == 0 ? "at least one destination must be counted on its own"
                : value > MAX_DESTINATIONS_LIMIT ? "it is too large"
                : null;
        if (problem != null) {
            throw Messages.badValue(option, problem, form(option.key, option.kind));
        }
        return (int) value;
    }

    private static int[] parsePorts(RawOption option) throws OptionError {
        String text = option.text;
        boolean commaToo = option.kind != RawOption.Kind.AGENT_ARGUMENT;
        int[] ports = new int[8];
        int count = 0;
        BitSet seen = new BitSet();
        int start = 0;
        while (start <= text.length()) {
            int end = start;
            while (end < text.length() && text.charAt(end) != '+' && !(commaToo && text.charAt(end) == ',')) {
                end++;
            }
            String entry = text.substring(start, end).trim();
            String problem = null;
            long port = parseWholeNumber(entry, MAX_PORT);
            if (entry.isEmpty()) {
                problem = "it has an empty entry (two separators in a row, or one at an end)";
            } else if (port < 0) {
                problem = "'" + Messages.shown(entry) + "' is not a port number";
            } else if (port < MIN_PORT || port > MAX_PORT) {
                problem = "port " + Messages.shown(entry) + " is outside " + MIN_PORT + ".." + MAX_PORT;
            } else if (seen.get((int) port)) {
                problem = "port " + port + " is listed twice";
            }
            if (problem != null) {
                throw Messages.badValue(option, problem, form(option.key, option.kind));
            }
            if (count == ports.length) {
                ports = Arrays.copyOf(ports, count * 2);
            }
            ports[count++] = (int) port;
            seen.set((int) port);
            start = end + 1;
        }
        return Arrays.copyOf(ports, count);
    }

    /**
     * Parses ASCII digits only (no sign, no spaces).
     *
     * @return the number; {@code limit + 1} if it exceeds {@code limit}; -1 if {@code text} is not all digits
     */
    private static long parseWholeNumber(String text, long limit) {
        if (text.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = Math.min(value * 10 + (c - '0'), limit + 1);
        }
        return value;
    }
}

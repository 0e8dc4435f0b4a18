package io.smtpwatchdog.demo;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes in octets as written on a command line: {@code 1048576}, {@code 512k}, {@code 10m}. */
public final class Sizes {
    /** The accepted form, for error messages. */
    public static final String FORM = "a size in octets like 1048576, 512k or 10m";
    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,12})([km]?)");

    private Sizes() {
    }

    /**
     * Parses a size; k and m are binary (1024, 1048576), as in mail server configurations.
     *
     * @throws IllegalArgumentException when {@code text} is not of the accepted form
     */
    public static long parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected " + FORM + ", got '" + text + "'");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "k" -> amount * 1024;
            case "m" -> amount * 1024 * 1024;
            default -> amount;
        };
    }
}

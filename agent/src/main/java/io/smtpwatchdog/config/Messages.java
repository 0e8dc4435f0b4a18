package io.smtpwatchdog.config;

/** Builds the one-line texts of {@link OptionError}s. */
final class Messages {
    static final String PREFIX = "smtp-watchdog: ";

    /** Long enough for any sane value or path, short enough that a pasted blob cannot flood the log. */
    private static final int MAX_SHOWN = 120;

    private Messages() {
    }

    /**
     * Makes operator-supplied text safe to quote in a one-line message: control characters (a value may
     * hold an escaped newline from a properties file) become {@code ?}, and overlong text is cut short.
     */
    static String shown(String text) {
        return shown(text, MAX_SHOWN);
    }

    /** As {@link #shown(String)}, cut short after {@code max} characters instead of the usual limit. */
    static String shown(String text, int max) {
        String line = oneLine(text);
        return line.length() > max ? line.substring(0, max) + "..." : line;
    }

    /** Replaces control characters and Unicode line breaks with {@code ?}, keeping the length. */
    static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder line = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            line.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? '?' : c);
        }
        return line.toString();
    }

    /** {@code smtp-watchdog: bad option KEY=VALUE (from SOURCE): [PROBLEM; ]expected FORM} */
    static OptionError badValue(RawOption option, String problem, String form) {
        return new OptionError(PREFIX + "bad option " + option.key.text + "=" + shown(option.text)
                + " (from " + option.source + "): " + (problem == null ? "" : problem + "; ") + "expected " + form);
    }
}

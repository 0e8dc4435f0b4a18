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
        if (text == null) {
            return "";
        }
        int length = Math.min(text.length(), MAX_SHOWN);
        StringBuilder shown = new StringBuilder(length + 3);
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            shown.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? '?' : c);
        }
        if (text.length() > MAX_SHOWN) {
            shown.append("...");
        }
        return shown.toString();
    }

    /** {@code smtp-watchdog: bad option KEY=VALUE (from SOURCE): [PROBLEM; ]expected FORM} */
    static OptionError badValue(RawOption option, String problem, String form) {
        return new OptionError(PREFIX + "bad option " + option.key.text + "=" + shown(option.text)
                + " (from " + option.source + "): " + (problem == null ? "" : problem + "; ") + "expected " + form);
    }
}

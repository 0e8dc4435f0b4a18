package io.smtpwatchdog.track;

/**
 * Which wait of an SMTP session a deadline bounds, named after the option that sets it. The defaults are the
 * minimums of RFC 5321 section 4.5.3.2: initial 220 message 5 min, MAIL 5 min, RCPT 5 min, DATA initiation 2 min,
 * DATA termination 10 min; every other command gets the 5 minutes the RFC gives the commands it names.
 */
public enum Phase {
    /** The {@code 220} greeting after connect. */
    GREETING("greeting", "bannerTimeout", 5),
    /** The reply to any command but the four below, and a TLS handshake after {@code STARTTLS}. */
    COMMAND("command", "commandTimeout", 5),
    /** The reply to {@code MAIL FROM}. */
    MAIL("mail", "mailTimeout", 5),
    /** The reply to {@code RCPT TO}. */
    RCPT("rcpt", "rcptTimeout", 5),
    /** The {@code 354} (or refusal) after {@code DATA}. */
    DATA("data", "dataTimeout", 2),
    /** The reply after the message's final dot, or after the last {@code BDAT} chunk. */
    DATA_END("data-end", "dataEndTimeout", 10);

    private static final Phase[] ALL = values();

    /** As shown in views and metric labels. */
    public final String label;
    /** The option that sets its deadline. */
    public final String option;
    /** The RFC's minimum, in milliseconds. */
    public final long defaultMillis;

    Phase(String label, String option, int defaultMinutes) {
        this.label = label;
        this.option = option;
        this.defaultMillis = defaultMinutes * 60_000L;
    }

    /** The phase whose option is {@code option}, or null. */
    public static Phase byOption(String option) {
        for (Phase p : ALL) {
            if (p.option.equals(option)) {
                return p;
            }
        }
        return null;
    }

    static Phase of(int ordinal) {
        return ALL[ordinal];
    }

    /** The options, as an operator writes them, for error messages. */
    public static String options() {
        StringBuilder b = new StringBuilder();
        for (Phase p : ALL) {
            b.append(b.length() == 0 ? "" : ", ").append(p.option);
        }
        return b.toString();
    }
}

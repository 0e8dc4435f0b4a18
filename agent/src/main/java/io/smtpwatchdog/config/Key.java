package io.smtpwatchdog.config;

/**
 * The option keys, and how each is spelled in each source.
 *
 * <p>The enum constant's name is the upper snake case used in environment variables.
 */
enum Key {
    BANNER_TIMEOUT("bannerTimeout"),
    MODE("mode"),
    PORTS("ports"),
    LOG_LEVEL("logLevel"),
    MAX_DESTINATIONS("maxDestinations"),
    STARTUP_WAIT("startupWait"),
    SLOT_GRACE("slotGrace"),
    CAPTURE_STACKS("captureStacks"),
    MAIL_TIMEOUT("mailTimeout"),
    RCPT_TIMEOUT("rcptTimeout"),
    DATA_TIMEOUT("dataTimeout"),
    DATA_END_TIMEOUT("dataEndTimeout"),
    COMMAND_TIMEOUT("commandTimeout"),
    DELIVERY("delivery"),
    SLOT_ACQUIRE("slotAcquire"),
    SLOT_RELEASE("slotRelease"),
    CONFIG("config");

    static final String PROPERTY_PREFIX = "smtpwatchdog.";
    static final String ENVIRONMENT_PREFIX = "SMTPWATCHDOG_";

    /** The spelling in agent arguments and config files, e.g. {@code bannerTimeout}. */
    final String text;

    Key(String text) {
        this.text = text;
    }

    String systemProperty() {
        return PROPERTY_PREFIX + text;
    }

    String environmentVariable() {
        return ENVIRONMENT_PREFIX + name();
    }

    /** Returns the key spelled {@code text} (as in agent arguments and config files), or null. */
    static Key byText(String text) {
        for (Key key : values()) {
            if (key.text.equals(text)) {
                return key;
            }
        }
        return null;
    }

    /** Returns the key whose environment variable is {@code variable}, or null. */
    static Key byEnvironmentVariable(String variable) {
        for (Key key : values()) {
            if (key.environmentVariable().equals(variable)) {
                return key;
            }
        }
        return null;
    }

    /** Lists the keys as spelled in agent arguments and config files, for "known options" hints. */
    static String listTexts(Key except) {
        StringBuilder list = new StringBuilder();
        for (Key key : values()) {
            if (key != except) {
                list.append(list.length() == 0 ? "" : ", ").append(key.text);
            }
        }
        return list.toString();
    }

    static String listSystemProperties() {
        StringBuilder list = new StringBuilder();
        for (Key key : values()) {
            list.append(list.length() == 0 ? "" : ", ").append(key.systemProperty());
        }
        return list.toString();
    }

    static String listEnvironmentVariables() {
        StringBuilder list = new StringBuilder();
        for (Key key : values()) {
            list.append(list.length() == 0 ? "" : ", ").append(key.environmentVariable());
        }
        return list.toString();
    }
}

package io.smtpwatchdog.config;

/** One key and its still unparsed value, with the source it was read from. */
final class RawOption {
    /** The kinds of source, highest precedence first. */
    enum Kind { AGENT_ARGUMENT, SYSTEM_PROPERTY, ENVIRONMENT, CONFIG_FILE }

    final Key key;
    /** The value, trimmed; may be empty (which is an error caught when it is parsed). */
    final String text;
    final Kind kind;
    /** Where the value came from, as shown to operators: "system property smtpwatchdog.mode". */
    final String source;

    RawOption(Key key, String text, Kind kind, String source) {
        this.key = key;
        this.text = text;
        this.kind = kind;
        this.source = source;
    }
}

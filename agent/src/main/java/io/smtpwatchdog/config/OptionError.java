package io.smtpwatchdog.config;

/**
 * A bad agent option: an unknown key, an unreadable config file, or a value in the wrong form.
 *
 * <p>The message is always a single line starting with {@code smtp-watchdog: }; it names the offending key
 * (or file), where it came from, and the form that would have been accepted, so that it can be printed as
 * the agent's only word before it stands down.
 */
public final class OptionError extends Exception {
    private static final long serialVersionUID = 1L;

    OptionError(String message) {
        super(message);
    }
}

package io.smtpwatchdog.launch;

/** A CLI failure whose message is the one line to show the operator. */
final class CliError extends Exception {
    private static final long serialVersionUID = 1L;

    CliError(String message) {
        super(message);
    }
}

package io.smtpwatchdog.demo;

/** A command line that cannot be run; the message is one line naming the option and what it accepts. */
public final class UsageException extends Exception {
    /** Creates the exception with a one-line message for the operator. */
    public UsageException(String message) {
        super(message);
    }
}

package io.smtpwatchdog.demo.outbound;

/** A routes file that cannot be used; the message names the file and line. */
public final class RoutesException extends Exception {
    /** Creates the exception with a message fit for an operator. */
    public RoutesException(String message) {
        super(message);
    }
}

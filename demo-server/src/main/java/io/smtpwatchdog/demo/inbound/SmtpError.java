package io.smtpwatchdog.demo.inbound;

/** A negative reply to the current command; thrown from deep inside parsing, answered by the session. */
final class SmtpError extends Exception {
    final int code;

    SmtpError(int code, String text) {
        super(text, null, false, false);
        this.code = code;
    }
}

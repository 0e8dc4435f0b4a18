package io.smtpwatchdog.demo.outbound;

import java.io.IOException;

/**
 * The wait for a remote host's 220 greeting ended in an exception (timeout, reset, connection closed).
 * Deliberately not an {@link IOException}, so that it escapes the session's ordinary error handling and
 * reaches the code path that has DEFECT 2.
 */
final class GreetingFailure extends Exception {
    GreetingFailure(String message, IOException cause) {
        super(message, cause);
    }
}

package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.JakartaMailClient;

/** Angus Mail 2.0 with the Jakarta Mail 2.1 API: {@code org.eclipse.angus.mail.smtp.SMTPTransport}. */
class AngusMailIT extends TransportLibraryTests {
    @Override
    String library() {
        return "angus";
    }

    @Override
    Class<?> client() {
        return JakartaMailClient.class;
    }

    @Override
    String connectHook() {
        return "angus-smtp";
    }

    @Override
    String sendHook() {
        return "jakarta-send";
    }
}

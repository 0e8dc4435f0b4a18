package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.JavaxMailClient;

/** javax.mail 1.6.2 (the reference implementation, {@code com.sun.mail.smtp.SMTPTransport}) with javax.activation. */
class JavaxMailIT extends TransportLibraryTests {
    @Override
    String library() {
        return "javax";
    }

    @Override
    Class<?> client() {
        return JavaxMailClient.class;
    }

    @Override
    String connectHook() {
        return "sun-smtp";
    }

    @Override
    String sendHook() {
        return "javax-send";
    }
}

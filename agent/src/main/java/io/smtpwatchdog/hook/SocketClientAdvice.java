package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into Apache Commons Net's {@code SocketClient#connect(...)} overloads, which connect the socket and then,
 * in {@code _connectAction_()}, read the server's greeting (after the TLS handshake, for an implicit-TLS
 * {@code SMTPSClient}). {@code SocketClient} is the base of every Commons Net protocol client, so a delivery is
 * entered only for the SMTP clients: a class in {@code org.apache.commons.net.smtp}, or a host's subclass of one.
 * Inlined into any class loader: JDK types and the bridge only.
 */
final class SocketClientAdvice {
    private SocketClientAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static boolean enter(@Advice.This Object client) {
        for (Class<?> c = client.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().startsWith("org.apache.commons.net.smtp.")) {
                Bridge.enteredDelivery(null);
                return true;
            }
        }
        return false;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter boolean entered) {
        if (entered) {
            Bridge.leftDelivery();
        }
    }
}

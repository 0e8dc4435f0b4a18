package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.net.Socket;

/**
 * Inlined at the end of the {@code sun.security.ssl.SSLSocketImpl} constructor that layers TLS over a connected
 * socket, {@code (SSLContextImpl, Socket, String, int, boolean)}: how Angus Mail and Commons Net do implicit TLS and
 * STARTTLS. The TLS socket never calls {@code connect}, so this is how its decrypted reads find the connection.
 */
final class LayerAdvice {
    private LayerAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Socket tls, @Advice.Argument(1) Socket plain) {
        Bridge.layered(tls, plain);
    }
}

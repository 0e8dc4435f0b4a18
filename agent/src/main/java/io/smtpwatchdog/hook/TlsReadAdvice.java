package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.net.Socket;

/**
 * Inlined at the end of {@code sun.security.ssl.SSLSocketImpl$AppInputStream#read(byte[], int, int)}: the decrypted
 * application bytes of a TLS socket. With implicit TLS (port 465) the raw bytes are TLS records; this is where the
 * greeting can be seen. The outer instance ({@code this$0}) is the TLS socket.
 */
final class TlsReadAdvice {
    private TlsReadAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue("this$0") Socket tls, @Advice.Argument(0) byte[] buffer,
                     @Advice.Argument(1) int offset, @Advice.Return int n) {
        if (n > 0) {
            Bridge.tlsRead(tls, buffer, offset, n);
        }
    }
}

package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.net.Socket;

/**
 * Inlined at the start of {@code sun.security.ssl.SSLSocketImpl$AppOutputStream#write(byte[], int, int)}: the
 * application bytes a TLS socket is about to encrypt, which are the commands after STARTTLS or with implicit TLS.
 */
final class TlsWriteAdvice {
    private TlsWriteAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("this$0") Socket tls, @Advice.Argument(0) byte[] buffer,
                      @Advice.Argument(1) int offset, @Advice.Argument(2) int n) {
        if (n > 0) {
            Bridge.tlsWrite(tls, buffer, offset, n);
        }
    }
}

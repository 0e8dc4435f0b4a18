package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.net.Socket;

/**
 * The write hook for JDK 8 to 12: {@code java.net.SocketOutputStream#write(byte[], int, int)}, whose field
 * {@code socket} is the owning socket. Not tested here: no JDK 8-12 is available on the project's machines.
 */
final class LegacyWriteAdvice {
    private LegacyWriteAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("socket") Socket socket, @Advice.Argument(0) byte[] buffer,
                      @Advice.Argument(1) int offset, @Advice.Argument(2) int n) {
        if (n > 0 && socket != null) {
            Bridge.write(socket, buffer, offset, n);
        }
    }
}

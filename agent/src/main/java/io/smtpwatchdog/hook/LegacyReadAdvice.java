package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.net.Socket;

/**
 * The read hook for JDK 8 to 12: {@code java.net.SocketInputStream#read(byte[], int, int, int)}, whose field
 * {@code socket} is the owning socket. Not tested here: no JDK 8-12 is available on the project's machines.
 */
final class LegacyReadAdvice {
    private LegacyReadAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue("socket") Socket socket, @Advice.Argument(0) byte[] buffer,
                     @Advice.Argument(1) int offset, @Advice.Return int n) {
        if (n > 0 && socket != null) {
            Bridge.read(socket, buffer, offset, n);
        }
    }
}

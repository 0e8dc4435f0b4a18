package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.net.Socket;

/**
 * Inlined at the end of {@code java.net.Socket$SocketInputStream#read(byte[], int, int)} (JDK 13 and later), through
 * which the single-byte {@code read()} goes too. Only successful reads of at least one byte are reported, and the
 * inlined code allocates nothing.
 */
final class ReadAdvice {
    private ReadAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue("parent") Socket parent, @Advice.Argument(0) byte[] buffer,
                     @Advice.Argument(1) int offset, @Advice.Return int n) {
        if (n > 0) {
            Bridge.read(parent, buffer, offset, n);
        }
    }
}

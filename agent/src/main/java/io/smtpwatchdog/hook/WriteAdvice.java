package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.net.Socket;

/**
 * Inlined at the start of {@code java.net.Socket$SocketOutputStream#write(byte[], int, int)} (JDK 13 and later),
 * through which the single-byte {@code write(int)} goes too. At the start, so that a command's reply is awaited from
 * before its bytes leave, and a write that blocks is already counted as waiting.
 */
final class WriteAdvice {
    private WriteAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("parent") Socket parent, @Advice.Argument(0) byte[] buffer,
                      @Advice.Argument(1) int offset, @Advice.Argument(2) int n) {
        if (n > 0) {
            Bridge.write(parent, buffer, offset, n);
        }
    }
}

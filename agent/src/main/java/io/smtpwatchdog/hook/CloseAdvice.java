package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.net.Socket;

/** Inlined at the end of {@code java.net.Socket#close()}: whoever closes, and even if closing threw. */
final class CloseAdvice {
    private CloseAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This Socket self) {
        Bridge.closed(self);
    }
}

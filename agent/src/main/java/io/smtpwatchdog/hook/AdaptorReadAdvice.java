package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.nio.channels.SocketChannel;

/**
 * Inlined at the end of {@code sun.nio.ch.SocketChannelImpl#blockingRead(byte[], int, int, long)}, which the input
 * stream of a channel's socket adaptor reads through.
 */
final class AdaptorReadAdvice {
    private AdaptorReadAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This SocketChannel self, @Advice.Argument(0) byte[] buffer,
                     @Advice.Argument(1) int offset, @Advice.Return int n) {
        if (n > 0) {
            Bridge.adaptorRead(self, buffer, offset, n);
        }
    }
}

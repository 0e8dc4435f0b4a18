package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.nio.channels.SocketChannel;

/**
 * Inlined at the start of {@code sun.nio.ch.SocketChannelImpl#blockingWriteFully(byte[], int, int)}, which the output
 * stream of a channel's socket adaptor writes through; at the start, as for a socket's own stream.
 */
final class AdaptorWriteAdvice {
    private AdaptorWriteAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This SocketChannel self, @Advice.Argument(0) byte[] buffer,
                      @Advice.Argument(1) int offset, @Advice.Argument(2) int n) {
        if (n > 0) {
            Bridge.adaptorWrite(self, buffer, offset, n);
        }
    }
}

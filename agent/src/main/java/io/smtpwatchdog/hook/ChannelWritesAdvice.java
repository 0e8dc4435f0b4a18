package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Inlined into the gathering {@code sun.nio.ch.SocketChannelImpl#write(ByteBuffer[], int, int)}, which Netty uses to
 * flush several buffers at once: where the buffers start on entry, the bytes that left on exit.
 */
final class ChannelWritesAdvice {
    private ChannelWritesAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This SocketChannel self, @Advice.Argument(0) ByteBuffer[] buffers,
                      @Advice.Argument(1) int offset, @Advice.Argument(2) int length) {
        Bridge.channelBuffers(self, buffers, offset, length, false);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This SocketChannel self, @Advice.Argument(0) ByteBuffer[] buffers,
                     @Advice.Argument(1) int offset, @Advice.Argument(2) int length, @Advice.Return long n) {
        if (n > 0) {
            Bridge.channelMoved(self, buffers, offset, length, n, false);
        }
    }
}

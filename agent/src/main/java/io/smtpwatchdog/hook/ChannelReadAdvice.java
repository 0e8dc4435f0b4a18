package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Inlined at the end of {@code sun.nio.ch.SocketChannelImpl#read(ByteBuffer)}, blocking or not, heap or direct
 * buffer: the {@code n} bytes read lie just before the buffer's position. Allocates nothing.
 */
final class ChannelReadAdvice {
    private ChannelReadAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This SocketChannel self, @Advice.Argument(0) ByteBuffer buffer, @Advice.Return int n) {
        if (n > 0) {
            Bridge.channelRead(self, buffer, n);
        }
    }
}

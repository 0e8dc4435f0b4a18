package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Inlined at the end of {@code sun.nio.ch.SocketChannelImpl#read(ByteBuffer)}, blocking or not, heap or direct
 * buffer: the {@code n} bytes read lie just before the buffer's position. Allocates nothing. At the end of the stream
 * of a channel the reaper ended, the read returns the agent's parting reply instead, once (see the tracker).
 */
final class ChannelReadAdvice {
    private ChannelReadAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This SocketChannel self, @Advice.Argument(0) ByteBuffer buffer,
                     @Advice.Return(readOnly = false) int n) {
        if (n > 0) {
            Bridge.channelRead(self, buffer, n);
        } else if (n < 0) {
            n = Bridge.channelEnded(self, buffer);
        }
    }
}

package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Inlined into the scattering {@code sun.nio.ch.SocketChannelImpl#read(ByteBuffer[], int, int)}: where the buffers
 * start on entry, the bytes they received on exit.
 */
final class ChannelReadsAdvice {
    private ChannelReadsAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This SocketChannel self, @Advice.Argument(0) ByteBuffer[] buffers,
                      @Advice.Argument(1) int offset, @Advice.Argument(2) int length) {
        Bridge.channelBuffers(self, buffers, offset, length, true);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This SocketChannel self, @Advice.Argument(0) ByteBuffer[] buffers,
                     @Advice.Argument(1) int offset, @Advice.Argument(2) int length, @Advice.Return long n) {
        if (n > 0) {
            Bridge.channelMoved(self, buffers, offset, length, n, true);
        }
    }
}

package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Inlined into {@code sun.nio.ch.SocketChannelImpl#write(ByteBuffer)}: on entry for a blocking channel, which writes
 * every byte it is given (so a command's reply is awaited from before the command leaves), and on exit for a
 * non-blocking one, which writes what the socket takes (its selector loop reads the reply later, on the same thread).
 */
final class ChannelWriteAdvice {
    private ChannelWriteAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This SocketChannel self, @Advice.Argument(0) ByteBuffer buffer) {
        Bridge.channelWriting(self, buffer);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This SocketChannel self, @Advice.Argument(0) ByteBuffer buffer, @Advice.Return int n) {
        if (n > 0) {
            Bridge.channelWritten(self, buffer, n);
        }
    }
}

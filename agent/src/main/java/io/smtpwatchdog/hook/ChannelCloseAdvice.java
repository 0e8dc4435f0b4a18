package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.nio.channels.SocketChannel;

/**
 * Inlined at the end of {@code sun.nio.ch.SocketChannelImpl#implCloseSelectableChannel()}, which runs once per
 * channel however it is closed: {@code close()}, its socket adaptor's {@code close()}, or an interrupt.
 */
final class ChannelCloseAdvice {
    private ChannelCloseAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This SocketChannel self) {
        Bridge.channelClosed(self);
    }
}

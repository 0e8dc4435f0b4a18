package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

/**
 * Inlined at the end of {@code sun.nio.ch.SocketChannelImpl#blockingConnect(SocketAddress, long)}, which a channel's
 * socket adaptor ({@code channel.socket().connect(...)}) calls instead of {@code java.net.Socket#connect}.
 */
final class AdaptorConnectAdvice {
    private AdaptorConnectAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This SocketChannel self, @Advice.Argument(0) SocketAddress remote,
                     @Advice.Thrown Throwable thrown) {
        Bridge.channelConnected(self, remote, thrown);
    }
}

package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

/**
 * Inlined at the end of {@code sun.nio.ch.SocketChannelImpl#connect(SocketAddress)}. A blocking channel, or a
 * non-blocking one whose connection was made at once, returns true: it is connected now. A pending non-blocking
 * connect returns false and is reported by {@link ChannelFinishAdvice} when it completes.
 */
final class ChannelConnectAdvice {
    private ChannelConnectAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This SocketChannel self, @Advice.Argument(0) SocketAddress remote,
                     @Advice.Return boolean connected, @Advice.Thrown Throwable thrown) {
        if (connected || thrown != null) {
            Bridge.channelConnected(self, remote, thrown);
        }
    }
}

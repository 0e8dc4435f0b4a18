package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

/**
 * Inlined at the end of {@code sun.nio.ch.SocketChannelImpl#finishConnect()}, where a selector loop (Netty, Vert.x)
 * learns that its non-blocking connect completed or failed. It also returns true when called again on a connected
 * channel; the tracker counts a channel once.
 */
final class ChannelFinishAdvice {
    private ChannelFinishAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This SocketChannel self, @Advice.FieldValue("remoteAddress") SocketAddress remote,
                     @Advice.Return boolean connected, @Advice.Thrown Throwable thrown) {
        if (connected || thrown != null) {
            Bridge.channelConnected(self, remote, thrown);
        }
    }
}

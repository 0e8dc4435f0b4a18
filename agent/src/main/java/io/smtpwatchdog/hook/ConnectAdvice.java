package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

import java.net.Socket;
import java.net.SocketAddress;

/**
 * Inlined at the end of {@code java.net.Socket#connect(SocketAddress, int)}, which every blocking client connect goes
 * through, TLS sockets included (they call {@code super.connect}). A failed connect is reported too, so that failures
 * are counted and nothing is tracked for them.
 */
final class ConnectAdvice {
    private ConnectAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This Socket self, @Advice.Argument(0) SocketAddress endpoint,
                     @Advice.Thrown Throwable thrown) {
        Bridge.connected(self, endpoint, thrown);
    }
}

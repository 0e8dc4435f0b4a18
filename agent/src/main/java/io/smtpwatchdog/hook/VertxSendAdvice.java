package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the Vert.x mail client's {@code MailClientImpl#getConnection(MailMessage, Handler, ContextInternal)},
 * where a send asks its pool for a connection, knowing its recipients. A connection the pool opens for it is decided
 * inside ({@link VertxConnectAdvice}), on this thread. Inlined into classes of any class loader: JDK types and the
 * bridge only.
 */
final class VertxSendAdvice {
    private VertxSendAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static boolean enter(@Advice.Argument(0) Object message) {
        Bridge.enteredMailSend(message);
        return true;
    }

    /** Leaves only what was entered: a failed entry (the bridge not linkable from here) must not unbalance it. */
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter boolean entered) {
        if (entered) {
            Bridge.leftDelivery();
        }
    }
}

package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the private static method every {@code Transport.send} overload goes through,
 * {@code send0(Message, Address[], String, String)} in {@code javax.mail} and {@code jakarta.mail}: it knows the
 * recipients before any transport connects, so the connections it makes are counted under their domain. The
 * addresses are handed over as plain objects: inlined into any class loader, this advice may name JDK types and the
 * bridge only.
 */
final class SendAdvice {
    private SendAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static boolean enter(@Advice.Argument(1) Object[] recipients) {
        Bridge.enteredDeliveryTo(recipients);
        return true;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter boolean entered) {
        if (entered) {
            Bridge.leftDelivery();
        }
    }
}

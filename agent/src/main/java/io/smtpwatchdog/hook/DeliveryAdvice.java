package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into a declared delivery method: while it runs, the sockets its thread connects belong to the domain in
 * the declared argument and are tracked whatever their port.
 */
final class DeliveryAdvice {
    private DeliveryAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.AllArguments Object[] args, @DeclarationId int declaration) {
        Bridge.enteredDeclaredDelivery(args, declaration);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit() {
        Bridge.leftDelivery();
    }
}

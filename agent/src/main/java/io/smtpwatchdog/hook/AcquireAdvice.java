package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined at the end of a declared slot-acquire method: a slot taken is tied to the next socket its thread
 * connects. The owner is the limiter instance, or the class for a static method.
 */
final class AcquireAdvice {
    private AcquireAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This(optional = true) Object self, @Advice.Origin Class<?> type,
                     @Advice.AllArguments Object[] args, @DeclarationId int declaration,
                     @Advice.Origin("#r") String returnType,
                     @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
                     @Advice.Thrown Throwable thrown) {
        Bridge.acquiredSlot(self != null ? self : type, args, declaration, returnType, returned, thrown);
    }
}

package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of a declared slot-release method. If the agent has already given that slot back on the
 * host's behalf, the host's own late release is skipped, so its counter is not decremented twice.
 */
final class ReleaseAdvice {
    private ReleaseAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    static boolean enter(@Advice.This(optional = true) Object self, @Advice.Origin Class<?> type,
                         @Advice.AllArguments Object[] args, @DeclarationId int declaration) {
        return Bridge.releasingSlot(self != null ? self : type, args, declaration);
    }
}

package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of the Vert.x mail client's constructors ({@code MailClientImpl(Vertx, MailConfig, ...)}). The
 * client connects later, on an event loop, in a task no mail-client frame encloses, so a thread cannot carry the
 * context there. What it can carry is where the client sends: its {@code MailConfig}'s host and port, which make
 * connections to that server SMTP whatever the port. Inlined into classes of any class loader: JDK types and the
 * bridge only.
 */
final class MailServerAdvice {
    private MailServerAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Argument(1) Object config) {
        Bridge.mailServer(config);
    }
}

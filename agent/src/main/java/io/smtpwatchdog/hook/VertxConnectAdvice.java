package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of the Vert.x mail client's {@code SMTPEndPoint#connect(ContextInternal, Listener, Handler)},
 * where its pool decides to open a connection to the server its {@code MailConfig} names. The connect itself runs
 * later, in an event-loop task no mail-client frame encloses: what is known here (the server, and the send this
 * thread is in) is handed over for it. Inlined into classes of any class loader: JDK types and the bridge only.
 */
final class VertxConnectAdvice {
    private VertxConnectAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("config") Object config) {
        Bridge.mailConnecting(config);
    }
}

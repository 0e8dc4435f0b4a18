package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into a mail library's SMTP connect, {@code SMTPTransport#protocolConnect(String, int, String, String)}:
 * it opens the socket (through the library's {@code SocketFetcher}) and reads the 220 greeting before it returns.
 * While it runs, what its thread connects is tracked whatever the port, under the recipients' domain when an
 * enclosing {@code Transport.send} knows it, else under the host name. Inlined into classes of any class loader:
 * JDK types and the bridge only.
 */
final class LibraryConnectAdvice {
    private LibraryConnectAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static boolean enter() {
        Bridge.enteredDelivery(null);
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

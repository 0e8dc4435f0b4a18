package io.smtpwatchdog.track;

import java.lang.ref.ReferenceQueue;
import java.net.Socket;

/**
 * A second socket that stands for an existing connection: the TLS socket layered over a tracked plain socket
 * (implicit TLS as mail libraries do it, or STARTTLS). Its decrypted reads carry the greeting.
 */
final class Alias extends Node {
    private final Conn target;

    Alias(Socket tls, ReferenceQueue<Object> queue, Conn target) {
        super(tls, queue);
        this.target = target;
    }

    @Override
    Conn conn() {
        return target;
    }
}

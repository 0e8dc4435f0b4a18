package io.smtpwatchdog.demo.inbound;

import java.io.IOException;
import java.net.Socket;

/** What a {@link Listener} does with each accepted connection, on that connection's own thread. */
@FunctionalInterface
public interface ConnectionHandler {
    /** Serves the connection; the listener closes the socket when this returns or throws. */
    void serve(Socket socket) throws IOException;
}

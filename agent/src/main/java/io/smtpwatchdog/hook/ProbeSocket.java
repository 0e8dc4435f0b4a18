package io.smtpwatchdog.hook;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.nio.charset.StandardCharsets;

/**
 * A socket whose implementation is in memory: it "connects" without a network and reads a canned greeting. The
 * self-test drives it through the real {@code java.net.Socket} code paths that carry the hooks, so the agent proves
 * its hooks fire without opening a connection or a listener of its own.
 */
final class ProbeSocket extends Socket {
    ProbeSocket() throws SocketException {
        super(new InMemoryImpl());
    }

    private static final class InMemoryImpl extends SocketImpl {
        private final InputStream in = new ByteArrayInputStream("220 probe\r\n".getBytes(StandardCharsets.US_ASCII));

        @Override
        protected void create(boolean stream) {
        }

        @Override
        protected void connect(String host, int port) {
            this.port = port;
        }

        @Override
        protected void connect(InetAddress address, int port) {
            this.address = address;
            this.port = port;
        }

        @Override
        protected void connect(SocketAddress endpoint, int timeout) {
            java.net.InetSocketAddress a = (java.net.InetSocketAddress) endpoint;
            this.address = a.getAddress();
            this.port = a.getPort();
        }

        @Override
        protected void bind(InetAddress host, int port) {
        }

        @Override
        protected void listen(int backlog) throws IOException {
            throw new IOException("a probe does not listen");
        }

        @Override
        protected void accept(SocketImpl s) throws IOException {
            throw new IOException("a probe does not accept");
        }

        @Override
        protected InputStream getInputStream() {
            return in;
        }

        @Override
        protected OutputStream getOutputStream() {
            return new ByteArrayOutputStream();
        }

        @Override
        protected int available() throws IOException {
            return in.available();
        }

        @Override
        protected void close() {
        }

        @Override
        protected void sendUrgentData(int data) {
        }

        @Override
        public void setOption(int optID, Object value) {
        }

        @Override
        public Object getOption(int optID) {
            return null;
        }
    }
}

package io.smtpwatchdog.hook;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterList;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Every mail-library hook point, declared as data, like {@link Hook} for the JDK. Matched by class name only, in
 * whatever class loader defines the class, so nothing happens, and nothing links, while a library is absent.
 */
enum LibraryHook {
    /** Angus Mail 2.x. */
    ANGUS_SMTP("angus-smtp", "org.eclipse.angus.mail.smtp.SMTPTransport", protocolConnect(),
            LibraryConnectAdvice.class),
    /** javax.mail 1.4-1.6, Jakarta Mail 1.6-2.0 and Angus Mail 1.x. */
    SUN_SMTP("sun-smtp", "com.sun.mail.smtp.SMTPTransport", protocolConnect(), LibraryConnectAdvice.class),
    /** Jakarta Mail 2.x API (with Angus Mail 1.x or 2.x, or Jakarta Mail 2.0). */
    JAKARTA_SEND("jakarta-send", "jakarta.mail.Transport", send0(), SendAdvice.class),
    /** javax.mail and Jakarta Mail 1.6. */
    JAVAX_SEND("javax-send", "javax.mail.Transport", send0(), SendAdvice.class),
    /** Apache Commons Net 3.x SMTPClient, SMTPSClient and their subclasses. */
    COMMONS_NET_SMTP("commons-net-smtp", "org.apache.commons.net.SocketClient", socketClientConnect(),
            SocketClientAdvice.class),
    /** The Vert.x mail client 4.x (Quarkus Mailer's): a send asking its pool for a connection, with its recipients. */
    VERTX_SEND("vertx-send", "io.vertx.ext.mail.impl.MailClientImpl", vertxGetConnection(), VertxSendAdvice.class),
    /** The Vert.x mail client 4.x: its pool deciding to open a connection to the server its config names. */
    VERTX_CONNECT("vertx-connect", "io.vertx.ext.mail.impl.SMTPEndPoint", vertxConnect(), VertxConnectAdvice.class),
    /*
     * Netty's native transports: their sockets are file descriptors Netty drives through JNI, never a JDK socket or
     * channel, so no hook of this agent sees them. Not hooked: reported when their client channel class loads.
     */
    /** Netty's epoll transport (Linux; Vert.x and Quarkus with preferNativeTransport). */
    NETTY_EPOLL("netty-epoll", "io.netty.channel.epoll.EpollSocketChannel", null, null),
    /** Netty 4.2's io_uring transport. */
    NETTY_IO_URING("netty-io_uring", "io.netty.channel.uring.IoUringSocketChannel", null, null),
    /** Netty 4.1's incubating io_uring transport. */
    NETTY_IO_URING_INCUBATOR("netty-io_uring-incubator", "io.netty.incubator.channel.uring.IOUringSocketChannel",
            null, null),
    /** Netty's kqueue transport (macOS, BSD). */
    NETTY_KQUEUE("netty-kqueue", "io.netty.channel.kqueue.KQueueSocketChannel", null, null);

    final String label;
    final String typeName;
    /** Null for a transport the agent cannot see into: nothing is hooked, its loading is reported. */
    final ElementMatcher<MethodDescription> methods;
    final Class<?> advice;

    LibraryHook(String label, String typeName, ElementMatcher<MethodDescription> methods, Class<?> advice) {
        this.label = label;
        this.typeName = typeName;
        this.methods = methods;
        this.advice = advice;
    }

    /** A transport that bypasses the JDK's sockets and channels: reported, never pretended to be guarded. */
    boolean notCovered() {
        return advice == null;
    }

    /** {@code protocolConnect(String host, int port, String user, String password)}, which connects and greets. */
    private static ElementMatcher<MethodDescription> protocolConnect() {
        return new Safe("protocolConnect(String, int, String, String)") {
            @Override
            boolean test(MethodDescription m) {
                ParameterList<?> p = m.getParameters();
                return m.getName().equals("protocolConnect") && p.size() == 4
                        && is(p, 0, "java.lang.String") && is(p, 1, "int")
                        && is(p, 2, "java.lang.String") && is(p, 3, "java.lang.String");
            }
        };
    }

    /** The static {@code send0(Message, Address[], ...)} every static {@code Transport.send} goes through. */
    private static ElementMatcher<MethodDescription> send0() {
        return new Safe("static send0(Message, Address[], ...)") {
            @Override
            boolean test(MethodDescription m) {
                ParameterList<?> p = m.getParameters();
                return m.getName().equals("send0") && m.isStatic() && p.size() >= 2
                        && p.get(1).getType().isArray() && !p.get(1).getType().getComponentType().isPrimitive();
            }
        };
    }

    /** Every {@code connect(...)} overload of {@code SocketClient}: each connects and reads the greeting. */
    private static ElementMatcher<MethodDescription> socketClientConnect() {
        return new Safe("connect(...)") {
            @Override
            boolean test(MethodDescription m) {
                return m.getName().equals("connect") && !m.isStatic() && m.getParameters().size() >= 1;
            }
        };
    }

    /** {@code getConnection(MailMessage, Handler, ContextInternal)}: a send asking the pool for a connection. */
    private static ElementMatcher<MethodDescription> vertxGetConnection() {
        return new Safe("getConnection(MailMessage, Handler, ContextInternal)") {
            @Override
            boolean test(MethodDescription m) {
                ParameterList<?> p = m.getParameters();
                return m.getName().equals("getConnection") && p.size() == 3
                        && is(p, 0, "io.vertx.ext.mail.MailMessage");
            }
        };
    }

    /** {@code connect(ContextInternal, PoolConnector.Listener, Handler)}: the pool opening a connection. */
    private static ElementMatcher<MethodDescription> vertxConnect() {
        return new Safe("connect(ContextInternal, PoolConnector.Listener, Handler)") {
            @Override
            boolean test(MethodDescription m) {
                ParameterList<?> p = m.getParameters();
                return m.getName().equals("connect") && p.size() == 3
                        && is(p, 0, "io.vertx.core.impl.ContextInternal");
            }
        };
    }

    /** A method matcher that never throws: a description it cannot read simply does not match. */
    private abstract static class Safe implements ElementMatcher<MethodDescription> {
        private final String text;

        Safe(String text) {
            this.text = text;
        }

        abstract boolean test(MethodDescription m);

        @Override
        public final boolean matches(MethodDescription m) {
            try {
                return m.isMethod() && !m.isAbstract() && test(m);
            } catch (Throwable t) {
                return false;
            }
        }

        static boolean is(ParameterList<?> p, int i, String typeName) {
            return p.get(i).getType().asErasure().getActualName().equals(typeName);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}

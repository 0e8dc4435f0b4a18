package io.smtpwatchdog.hook;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Every JDK hook point, declared as data: the class, the methods and the advice inlined into them. A hook whose class
 * does not exist on the running JDK simply never fires its listener; which ones are essential is decided by the
 * self-test, not here.
 */
enum Hook {
    CONNECT("connect", "java.net.Socket",
            named("connect").and(takesArguments(SocketAddress.class, int.class)), ConnectAdvice.class),
    CLOSE("close", "java.net.Socket", named("close").and(takesArguments(0)), CloseAdvice.class),
    READ("read", "java.net.Socket$SocketInputStream",
            named("read").and(takesArguments(byte[].class, int.class, int.class)), ReadAdvice.class),
    LEGACY_READ("read (JDK 8-12)", "java.net.SocketInputStream",
            named("read").and(takesArguments(byte[].class, int.class, int.class, int.class)), LegacyReadAdvice.class),
    WRITE("write", "java.net.Socket$SocketOutputStream",
            named("write").and(takesArguments(byte[].class, int.class, int.class)), WriteAdvice.class),
    LEGACY_WRITE("write (JDK 8-12)", "java.net.SocketOutputStream",
            named("write").and(takesArguments(byte[].class, int.class, int.class)), LegacyWriteAdvice.class),
    TLS_WRITE("tls-write", "sun.security.ssl.SSLSocketImpl$AppOutputStream",
            named("write").and(takesArguments(byte[].class, int.class, int.class)), TlsWriteAdvice.class),
    TLS_READ("tls-read", "sun.security.ssl.SSLSocketImpl$AppInputStream",
            named("read").and(takesArguments(byte[].class, int.class, int.class)), TlsReadAdvice.class),
    TLS_LAYER("tls-layer", "sun.security.ssl.SSLSocketImpl",
            isConstructor().and(takesArguments(5)).and(takesArgument(1, Socket.class)), LayerAdvice.class),
    CHANNEL_CONNECT("channel-connect", Names.CHANNEL,
            named("connect").and(takesArguments(SocketAddress.class)), ChannelConnectAdvice.class),
    CHANNEL_FINISH("channel-finish-connect", Names.CHANNEL,
            named("finishConnect").and(takesArguments(0)), ChannelFinishAdvice.class),
    CHANNEL_CLOSE("channel-close", Names.CHANNEL,
            named("implCloseSelectableChannel").and(takesArguments(0)), ChannelCloseAdvice.class),
    CHANNEL_READ("channel-read", Names.CHANNEL,
            named("read").and(takesArguments(ByteBuffer.class)), ChannelReadAdvice.class),
    CHANNEL_READS("channel-scattering-read", Names.CHANNEL,
            named("read").and(takesArguments(ByteBuffer[].class, int.class, int.class)), ChannelReadsAdvice.class),
    CHANNEL_WRITE("channel-write", Names.CHANNEL,
            named("write").and(takesArguments(ByteBuffer.class)), ChannelWriteAdvice.class),
    CHANNEL_WRITES("channel-gathering-write", Names.CHANNEL,
            named("write").and(takesArguments(ByteBuffer[].class, int.class, int.class)), ChannelWritesAdvice.class),
    ADAPTOR_CONNECT("adaptor-connect", Names.CHANNEL,
            named("blockingConnect").and(takesArguments(SocketAddress.class, long.class)), AdaptorConnectAdvice.class),
    ADAPTOR_READ("adaptor-read", Names.CHANNEL,
            named("blockingRead").and(takesArguments(byte[].class, int.class, int.class, long.class)),
            AdaptorReadAdvice.class),
    ADAPTOR_WRITE("adaptor-write", Names.CHANNEL,
            named("blockingWriteFully").and(takesArguments(byte[].class, int.class, int.class)),
            AdaptorWriteAdvice.class);

    /** Class names used by several hooks. */
    static final class Names {
        /** The JDK's {@code java.nio.channels.SocketChannel} (JDK 11-25): channels and their socket adaptors. */
        static final String CHANNEL = "sun.nio.ch.SocketChannelImpl";

        private Names() {
        }
    }

    final String label;
    final String typeName;
    final ElementMatcher<? super MethodDescription> methods;
    final Class<?> advice;

    Hook(String label, String typeName, ElementMatcher<? super MethodDescription> methods, Class<?> advice) {
        this.label = label;
        this.typeName = typeName;
        this.methods = methods;
        this.advice = advice;
    }
}

package io.smtpwatchdog.hook;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.net.Socket;
import java.net.SocketAddress;

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
            isConstructor().and(takesArguments(5)).and(takesArgument(1, Socket.class)), LayerAdvice.class);

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

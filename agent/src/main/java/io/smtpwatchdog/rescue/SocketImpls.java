package io.smtpwatchdog.rescue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the discovery reads from, and does to, a JDK socket impl ({@code sun.nio.ch.NioSocketImpl}, JDK 13+) it holds.
 *
 * <p>Every action goes through the impl's own methods, so the JDK's bookkeeping stays true: a close signals the
 * blocked reader and releases the fd exactly once, and the host's own later {@code close()} is a no-op.
 */
final class SocketImpls {
    /** {@code java.net.SocketOptions.SO_LINGER}. */
    private static final int SO_LINGER = 0x0080;

    private final Field socketImpl;
    private final Field delegate;
    private final Field address;
    private final Field port;
    private final Field readLock;
    private final Method isOpen;
    private final Method available;
    private final Method setOption;
    private final Method close;
    private final Method owner;

    private SocketImpls() throws ReflectiveOperationException {
        Class<?> nio = Class.forName("sun.nio.ch.NioSocketImpl");
        Class<?> base = Class.forName("java.net.SocketImpl");
        socketImpl = accessible(Socket.class.getDeclaredField("impl"));
        delegate = accessible(Class.forName("java.net.DelegatingSocketImpl").getDeclaredField("delegate"));
        address = accessible(base.getDeclaredField("address"));
        port = accessible(base.getDeclaredField("port"));
        readLock = accessible(nio.getDeclaredField("readLock"));
        isOpen = accessible(nio.getDeclaredMethod("isOpen"));
        available = accessible(nio.getDeclaredMethod("available"));
        setOption = accessible(nio.getDeclaredMethod("setOption", int.class, Object.class));
        close = accessible(nio.getDeclaredMethod("close"));
        owner = accessible(ReentrantLock.class.getDeclaredMethod("getOwner"));
    }

    /** For this JDK, after {@link JdkAccess#open}; throws with one line when the impl is not as the agent knows. */
    static SocketImpls forThisJdk() {
        try {
            return new SocketImpls();
        } catch (Throwable t) {
            throw new IllegalStateException("the JDK's socket impl is not laid out as the agent knows (" + t + ")");
        }
    }

    /** The platform impl under {@code socket}, through any SOCKS or HTTP-proxy wrapper; null if there is none. */
    Object implOf(Socket socket) {
        try {
            Object impl = socketImpl.get(socket);
            for (int i = 0; i < 4 && impl != null && delegate.getDeclaringClass().isInstance(impl); i++) {
                impl = delegate.get(impl);
            }
            return impl;
        } catch (Throwable t) {
            return null;
        }
    }

    /** The peer the impl connected to, or null if it is not connected. */
    InetSocketAddress remote(Object impl) {
        try {
            InetAddress a = (InetAddress) address.get(impl);
            int p = port.getInt(impl);
            return a == null || p <= 0 ? null : new InetSocketAddress(a, p);
        } catch (Throwable t) {
            return null;
        }
    }

    /** The thread inside the impl's read now, or null. */
    Thread reader(Object impl) {
        try {
            return (Thread) owner.invoke(readLock.get(impl));
        } catch (Throwable t) {
            return null;
        }
    }

    boolean open(Object impl) {
        try {
            return (Boolean) isOpen.invoke(impl);
        } catch (Throwable t) {
            return false;
        }
    }

    /** Bytes readable without blocking, or -1 when it cannot be told (closed meanwhile). */
    int available(Object impl) {
        try {
            return (Integer) available.invoke(impl);
        } catch (Throwable t) {
            return -1;
        }
    }

    /**
     * Closes the impl as the host's own {@code close()} would, after {@code SO_LINGER} 0 so that the peer gets a RST,
     * as for a reap: the blocked reader gets {@code SocketException: Socket closed}.
     */
    void abort(Object impl) throws Exception {
        try {
            setOption.invoke(impl, SO_LINGER, 0);
        } catch (Throwable ignored) {
            // closing below still ends the read; the peer then sees a FIN
        }
        close.invoke(impl);
    }

    private static <T extends java.lang.reflect.AccessibleObject> T accessible(T member) {
        member.setAccessible(true);
        return member;
    }
}

package io.smtpwatchdog.rescue;

import java.io.FileDescriptor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.function.Predicate;

/**
 * Ends the input of a JDK {@code SocketChannel} at its socket ({@code shutdown(fd, SHUT_RD)}), as a peer's close
 * would end it, without telling the channel: its own {@code shutdownInput} sets a flag that Netty reads as "input
 * already shut down", after which it stops reading and never learns the channel is gone. Ended this way, the
 * channel's selector sees it readable and its owner's next read finds the end of the stream.
 *
 * <p>In the discovery's package because it reads {@code sun.nio.ch}, which {@link JdkAccess} opens to this loader.
 */
final class ChannelInputs implements Predicate<Object> {
    private final Class<?> channelType;
    private final Field fd;
    private final Method shutdown;
    private final int shutRd;

    private ChannelInputs() throws ReflectiveOperationException {
        channelType = Class.forName("sun.nio.ch.SocketChannelImpl");
        fd = channelType.getDeclaredField("fd");
        fd.setAccessible(true);
        Class<?> net = Class.forName("sun.nio.ch.Net");
        shutdown = net.getDeclaredMethod("shutdown", FileDescriptor.class, int.class);
        shutdown.setAccessible(true);
        Field rd = net.getDeclaredField("SHUT_RD");
        rd.setAccessible(true);
        shutRd = rd.getInt(null);
    }

    /** For this JDK, once {@link JdkAccess#open} succeeded; null, with nothing touched, when its layout differs. */
    static Predicate<Object> forThisJdk() {
        try {
            return new ChannelInputs();
        } catch (Throwable t) {
            return null;
        }
    }

    /** Ends {@code channel}'s input; false if it is not a JDK socket channel. Throws if the socket refuses. */
    @Override
    public boolean test(Object channel) {
        if (!channelType.isInstance(channel)) {
            return false;
        }
        try {
            shutdown.invoke(null, fd.get(channel), shutRd);
            return true;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
        }
    }
}

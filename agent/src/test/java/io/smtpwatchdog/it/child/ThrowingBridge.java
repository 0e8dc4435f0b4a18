package io.smtpwatchdog.it.child;

import io.smtpwatchdog.bridge.Bridge;

import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tracker whose every hook fails, installed in place of the agent's own through the bridge's public
 * {@link Bridge#install(Bridge)}: the hooks inlined into the JDK then call this instead of the real tracker. Each
 * {@link Fault} fails the way a broken tracker would, for real where the JVM can be made to: a real stack overflow,
 * a real out-of-memory error. Counts every hook it failed, by hook.
 */
final class ThrowingBridge extends Bridge {
    /** How the tracker fails. */
    enum Fault {
        RUNTIME_EXCEPTION,
        /** Recursion until the JVM throws it. */
        STACK_OVERFLOW,
        /** An array the JVM refuses to allocate: "Requested array size exceeds VM limit". */
        OUT_OF_MEMORY,
        /** As if one of the agent's classes had gone missing from the jar. */
        LINKAGE_ERROR,
        /** A checked IOException no hook declares, thrown anyway: the host would take it for its own I/O failing. */
        CHECKED_IO_EXCEPTION
    }

    /** Keeps the JIT from proving the refused array unused. */
    static volatile Object sink;

    private final Fault fault;
    private final Map<String, AtomicInteger> thrown = new ConcurrentHashMap<>();

    ThrowingBridge(Fault fault) {
        this.fault = fault;
    }

    /** How many times each hook failed, by hook. */
    Map<String, Integer> thrown() {
        Map<String, Integer> out = new TreeMap<>();
        thrown.forEach((hook, n) -> out.put(hook, n.get()));
        return out;
    }

    private void fail(String hook) {
        thrown.computeIfAbsent(hook, h -> new AtomicInteger()).incrementAndGet();
        switch (fault) {
            case RUNTIME_EXCEPTION:
                throw new IllegalStateException("injected fault in hook " + hook);
            case STACK_OVERFLOW:
                sink = recurse(0);
                throw new AssertionError("the stack did not overflow");
            case OUT_OF_MEMORY:
                sink = new long[Integer.MAX_VALUE];
                throw new AssertionError("the JVM allocated an array of 2^31 longs");
            case LINKAGE_ERROR:
                throw new NoClassDefFoundError("io/smtpwatchdog/track/InjectedMissingClass");
            case CHECKED_IO_EXCEPTION:
                throw ThrowingBridge.<RuntimeException>sneaky(new java.io.IOException("injected fault in " + hook));
            default:
                throw new AssertionError(fault);
        }
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    @Override
    protected void onDelivery(String destination, boolean entering) {
        fail(entering ? "enterDelivery" : "leaveDelivery");
    }

    @Override
    protected void onDeliveryTo(Object[] recipients) {
        fail("deliveryTo");
    }

    @Override
    protected String domainOf(Object[] args, int declaration) {
        fail("domainOf");
        return null;
    }

    @Override
    protected void onAcquire(Object owner, Object[] args, int declaration, String returnType, Object returned,
                             Throwable thrownByHost) {
        fail("acquire");
    }

    @Override
    protected boolean onRelease(Object owner, Object[] args, int declaration) {
        fail("release");
        return true; // never reached; were it, the host's own release would be skipped
    }

    @Override
    protected void onConnect(Socket socket, SocketAddress endpoint, Throwable thrownByConnect) {
        fail(thrownByConnect == null ? "connect" : "failedConnect");
    }

    @Override
    protected void onClose(Socket socket) {
        fail("close");
    }

    @Override
    protected void onRead(Socket socket, byte[] buffer, int offset, int n, boolean decrypted) {
        fail(decrypted ? "tlsRead" : "read");
    }

    @Override
    protected void onLayer(Socket tls, Socket plain) {
        fail("layer");
    }

    @Override
    protected void onWrite(Socket socket, byte[] buffer, int offset, int n, boolean plaintext) {
        fail(plaintext ? "tlsWrite" : "write");
    }

    @Override
    protected void onChannelConnect(SocketChannel channel, SocketAddress remote, Throwable thrownByConnect) {
        fail(thrownByConnect == null ? "channelConnect" : "failedChannelConnect");
    }

    @Override
    protected void onChannelClose(SocketChannel channel) {
        fail("channelClose");
    }

    @Override
    protected void onChannelRead(SocketChannel channel, ByteBuffer buffer, int n) {
        fail("channelRead");
    }

    @Override
    protected void onMailSend(Object message) {
        fail("mailSend");
    }

    @Override
    protected void onMailConnecting(Object config) {
        fail("mailConnecting");
    }

    @Override
    protected int onChannelEnd(SocketChannel channel, ByteBuffer buffer) {
        fail("channelEnd");
        return 64; // never reached; were it, the host would read 64 bytes that are not there
    }

    @Override
    protected void onChannelWriting(SocketChannel channel, ByteBuffer buffer) {
        fail("channelWriting");
    }

    @Override
    protected void onChannelWritten(SocketChannel channel, ByteBuffer buffer, int n) {
        fail("channelWritten");
    }

    @Override
    protected void onChannelBuffers(SocketChannel channel, ByteBuffer[] buffers, int offset, int length,
                                    boolean read) {
        fail(read ? "channelScatter" : "channelGather");
    }

    @Override
    protected void onChannelMoved(SocketChannel channel, ByteBuffer[] buffers, int offset, int length, long n,
                                  boolean read) {
        fail(read ? "channelScattered" : "channelGathered");
    }

    @Override
    protected void onAdaptorBytes(SocketChannel channel, byte[] buffer, int offset, int n, boolean read) {
        fail(read ? "adaptorRead" : "adaptorWrite");
    }
}

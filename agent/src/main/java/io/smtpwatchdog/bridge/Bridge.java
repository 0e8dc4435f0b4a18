package io.smtpwatchdog.bridge;

import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The one class the agent defines in the bootstrap loader.
 *
 * <p>Advice inlined into {@code java.net.Socket}, the JDK's TLS socket and its {@code SocketChannel} runs in classes
 * loaded by the bootstrap loader, which cannot see the agent jar. Those hooks call the static methods here; the agent's tracker, loaded by
 * the application class loader, subclasses this type and registers itself with {@link #install(Bridge)}. This class
 * must reference JDK types only and must never throw: it is the only agent code inlined hooks can reach.
 */
public abstract class Bridge {
    private static volatile Bridge target;

    protected Bridge() {
    }

    /** Makes {@code bridge} the receiver of every hook; {@code null} turns all hooks into no-ops. */
    public static void install(Bridge bridge) {
        target = bridge;
    }

    /** Called on exit from {@code Socket.connect(SocketAddress, int)}; {@code thrown} is null on success. */
    public static void connected(Socket socket, SocketAddress endpoint, Throwable thrown) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onConnect(socket, endpoint, thrown);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /** Called on exit from {@code Socket.close()}, whoever closed it. */
    public static void closed(Socket socket) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onClose(socket);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /** Called after {@code n > 0} raw bytes were read from {@code socket} into {@code buffer[offset..]}. */
    public static void read(Socket socket, byte[] buffer, int offset, int n) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onRead(socket, buffer, offset, n, false);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /** Called after {@code n > 0} decrypted application bytes were read from the TLS socket {@code socket}. */
    public static void tlsRead(Socket socket, byte[] buffer, int offset, int n) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onRead(socket, buffer, offset, n, true);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /** Called before {@code n > 0} raw bytes from {@code buffer[offset..]} are written to {@code socket}. */
    public static void write(Socket socket, byte[] buffer, int offset, int n) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onWrite(socket, buffer, offset, n, false);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /** Called before {@code n > 0} application bytes are encrypted and written by the TLS socket {@code socket}. */
    public static void tlsWrite(Socket socket, byte[] buffer, int offset, int n) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onWrite(socket, buffer, offset, n, true);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /** Called when the TLS socket {@code tls} is layered over the already connected socket {@code plain}. */
    public static void layered(Socket tls, Socket plain) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onLayer(tls, plain);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    // ---- java.nio.channels.SocketChannel (sun.nio.ch.SocketChannelImpl), blocking or not, and its socket adaptor ----

    /**
     * Called on exit from a channel's connect that completed the connection ({@code connect} returning true,
     * {@code finishConnect} returning true, or the socket adaptor's connect), or failed ({@code thrown} not null).
     */
    public static void channelConnected(SocketChannel channel, SocketAddress remote, Throwable thrown) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onChannelConnect(channel, remote, thrown);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /** Called on exit from closing {@code channel}, whoever closed it: directly, or through its socket adaptor. */
    public static void channelClosed(SocketChannel channel) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onChannelClose(channel);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /**
     * Called after {@code n > 0} bytes were read from {@code channel} into {@code buffer}, which holds them just
     * before its position; the buffer must not be moved.
     */
    public static void channelRead(SocketChannel channel, ByteBuffer buffer, int n) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onChannelRead(channel, buffer, n);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /**
     * Called on entry to a write to {@code channel} of the bytes {@code buffer} holds from its position to its limit.
     * A blocking channel writes them all; the tracker takes them now, so a command's reply is awaited from before its
     * bytes leave.
     */
    public static void channelWriting(SocketChannel channel, ByteBuffer buffer) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onChannelWriting(channel, buffer);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /**
     * Called when a read from {@code channel} into {@code buffer} found the end of the stream. Returns what the read
     * returns instead: -1, or the length of the reply the agent put into the buffer (see the tracker's partings).
     */
    public static int channelEnded(SocketChannel channel, ByteBuffer buffer) {
        Bridge t = target;
        if (t != null) {
            try {
                return t.onChannelEnd(channel, buffer);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
        return -1;
    }

    /**
     * Called on exit from a write that wrote {@code n > 0} bytes to {@code channel} from {@code buffer}, which held
     * them just before its position. A non-blocking channel may write part of them; the tracker takes those now.
     */
    public static void channelWritten(SocketChannel channel, ByteBuffer buffer, int n) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onChannelWritten(channel, buffer, n);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /**
     * Called on entry to a scattering read ({@code read}) or gathering write on {@code channel}, with where the
     * buffers {@code buffers[offset .. offset + length)} start, so that {@link #channelMoved} can tell which bytes
     * moved.
     */
    public static void channelBuffers(SocketChannel channel, ByteBuffer[] buffers, int offset, int length,
                                      boolean read) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onChannelBuffers(channel, buffers, offset, length, read);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /** Called on exit from the scattering read ({@code read}) or gathering write that moved {@code n > 0} bytes. */
    public static void channelMoved(SocketChannel channel, ByteBuffer[] buffers, int offset, int length, long n,
                                    boolean read) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onChannelMoved(channel, buffers, offset, length, n, read);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /** Called after the socket adaptor of {@code channel} read {@code n > 0} bytes into {@code buffer[offset..]}. */
    public static void adaptorRead(SocketChannel channel, byte[] buffer, int offset, int n) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onAdaptorBytes(channel, buffer, offset, n, true);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /** Called before the socket adaptor of {@code channel} writes {@code n > 0} bytes from {@code buffer[offset..]}. */
    public static void adaptorWrite(SocketChannel channel, byte[] buffer, int offset, int n) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onAdaptorBytes(channel, buffer, offset, n, false);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /**
     * Called on entry to a method that delivers mail: a declared delivery method, or a mail library's connect.
     * {@code destination} names what the sockets connected inside belong to, or is null to use their host name.
     * Every call is paired with {@link #leftDelivery()}.
     */
    public static void enteredDelivery(String destination) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onDelivery(destination, true);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /**
     * Called on entry to a mail library's send that knows its recipients before it connects, such as the static
     * {@code Transport.send}: {@code recipients} are its addresses, whatever their type, read only through
     * {@code String.valueOf}. The sockets connected inside belong to their single domain, if they share one. Every
     * call is paired with {@link #leftDelivery()}.
     */
    public static void enteredDeliveryTo(Object[] recipients) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onDeliveryTo(recipients);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /**
     * Called on exit from a method that {@link #enteredDelivery(String) entered a delivery} (or
     * {@link #enteredDeliveryTo(Object[]) one to recipients}), however it ended.
     */
    public static void leftDelivery() {
        Bridge t = target;
        if (t != null) {
            try {
                t.onDelivery(null, false);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /**
     * Called on entry to a mail client's send that knows its message: {@code message}'s recipients are read through
     * its public {@code getTo()}, {@code getCc()} and {@code getBcc()} (the Vert.x mail client's {@code MailMessage}).
     * Enters a delivery, as {@link #enteredDeliveryTo(Object[])} does; every call is paired with
     * {@link #leftDelivery()}.
     */
    public static void enteredMailSend(Object message) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onMailSend(message);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /**
     * Called when a mail client decides to open a connection to the server {@code config} names (the Vert.x mail
     * client's {@code MailConfig}, read through its public {@code getHostname()} and {@code getPort()}), for the
     * delivery this thread is in: that connection, made later on another thread, is SMTP whatever its port, and is
     * counted under that delivery's destination.
     */
    public static void mailConnecting(Object config) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onMailConnecting(config);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /** Called on entry to a declared delivery method; {@code declaration} says which argument is the domain. */
    public static void enteredDeclaredDelivery(Object[] args, int declaration) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onDelivery(t.domainOf(args, declaration), true);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /**
     * Called on exit from a declared slot-acquire method; {@code returned} is its result, boxed, and
     * {@code returnType} its declared return type's name ({@code void}, {@code boolean}, ...).
     */
    public static void acquiredSlot(Object owner, Object[] args, int declaration, String returnType, Object returned,
                                    Throwable thrown) {
        Bridge t = target;
        if (t != null) {
            try {
                t.onAcquire(owner, args, declaration, returnType, returned, thrown);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
    }

    /**
     * Called on entry to a declared slot-release method. Returns true only when the agent has already released that
     * slot on the server's behalf, so the server's own late release must not count it a second time.
     */
    public static boolean releasingSlot(Object owner, Object[] args, int declaration) {
        Bridge t = target;
        if (t != null) {
            try {
                return t.onRelease(owner, args, declaration);
            } catch (Throwable ignored) {
                // A hook must never change what the host sees.
            }
        }
        return false;
    }

    protected abstract void onDelivery(String destination, boolean entering);

    /** Must enter a delivery, even when the message says nothing useful: {@link #leftDelivery()} will follow. */
    protected abstract void onMailSend(Object message);

    protected abstract void onMailConnecting(Object config);

    /** Must enter a delivery, even when the recipients say nothing useful: {@link #leftDelivery()} will follow. */
    protected abstract void onDeliveryTo(Object[] recipients);

    protected abstract String domainOf(Object[] args, int declaration);

    protected abstract void onAcquire(Object owner, Object[] args, int declaration, String returnType, Object returned,
                                      Throwable thrown);

    protected abstract boolean onRelease(Object owner, Object[] args, int declaration);

    protected abstract void onConnect(Socket socket, SocketAddress endpoint, Throwable thrown);

    protected abstract void onClose(Socket socket);

    protected abstract void onRead(Socket socket, byte[] buffer, int offset, int n, boolean decrypted);

    protected abstract void onLayer(Socket tls, Socket plain);

    /** {@code plaintext}: the bytes are a TLS socket's application data, not the wire's. */
    protected abstract void onWrite(Socket socket, byte[] buffer, int offset, int n, boolean plaintext);

    protected abstract void onChannelConnect(SocketChannel channel, SocketAddress remote, Throwable thrown);

    protected abstract void onChannelClose(SocketChannel channel);

    protected abstract void onChannelRead(SocketChannel channel, ByteBuffer buffer, int n);

    /** Returns -1, or the number of bytes it put into {@code buffer}. */
    protected abstract int onChannelEnd(SocketChannel channel, ByteBuffer buffer);

    protected abstract void onChannelWriting(SocketChannel channel, ByteBuffer buffer);

    protected abstract void onChannelWritten(SocketChannel channel, ByteBuffer buffer, int n);

    protected abstract void onChannelBuffers(SocketChannel channel, ByteBuffer[] buffers, int offset, int length,
                                             boolean read);

    protected abstract void onChannelMoved(SocketChannel channel, ByteBuffer[] buffers, int offset, int length, long n,
                                           boolean read);

    /** {@code read}: bytes the adaptor read; else bytes it is about to write. */
    protected abstract void onAdaptorBytes(SocketChannel channel, byte[] buffer, int offset, int n, boolean read);
}

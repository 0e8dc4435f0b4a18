package io.smtpwatchdog.rescue;

import java.io.FileDescriptor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JDK's common Cleaner, read as the list of every live {@code sun.nio.ch.NioSocketImpl}: each one registers an
 * entry from {@code create()} until it is closed or collected (JDK 13+, accepted sockets too).
 *
 * <p>Two layouts are known: JDK 9-23 link the entries behind a sentinel ({@code phantomCleanableList}, field
 * {@code next}); JDK 24+ keep them in {@code activeList}, a list of 4096-slot nodes. Anything else is reported and
 * nothing is touched.
 *
 * <p>An entry's referent is never read here except through {@link #socketOf}: reading the referent of a phantom
 * reference whose object the collector is about to reclaim crashed the JVM under ZGC and Shenandoah. Entries are told
 * apart by their cleaning action, which captures the socket's {@link FileDescriptor}.
 */
final class CleanerList {
    private static final String SOCKET_ACTION = "sun.nio.ch.NioSocketImpl$$Lambda";

    private final Object lock;
    private final Field first;       // 9-23: the sentinel's next; 24+: the list's head node
    private final Field next;        // 9-23: PhantomCleanable.next; 24+: Node.next
    private final Field slots;       // 24+: Node.arr
    private final Field size;        // 24+: Node.size
    private final Field listedNode;  // 24+: PhantomCleanable.node, null once removed
    private final Field action;
    private final Field referent;
    private final Field fdNumber;
    private final Map<Class<?>, Field> capturedFd = new ConcurrentHashMap<Class<?>, Field>();
    private final String layout;

    /** One live socket entry: the cleaner's own object, and the descriptor its action closes. */
    static final class Entry {
        final Object cleanable;
        final FileDescriptor fd;

        Entry(Object cleanable, FileDescriptor fd) {
            this.cleanable = cleanable;
            this.fd = fd;
        }
    }

    private CleanerList(Object lock, Field first, Field next, Field slots, Field size, Field listedNode, Field action,
                        Field referent, Field fdNumber, String layout) {
        this.lock = lock;
        this.first = first;
        this.next = next;
        this.slots = slots;
        this.size = size;
        this.listedNode = listedNode;
        this.action = action;
        this.referent = referent;
        this.fdNumber = fdNumber;
        this.layout = layout;
    }

    /**
     * The common Cleaner's list, once {@link JdkAccess#open} succeeded. Throws {@link IllegalStateException} with
     * one line naming what is not as expected when this JDK's layout is not one the agent knows.
     */
    static CleanerList ofCommonCleaner() {
        try {
            Class<?> factory = Class.forName("jdk.internal.ref.CleanerFactory");
            Object cleaner = accessible(factory.getDeclaredMethod("cleaner")).invoke(null);
            Class<?> implType = Class.forName("jdk.internal.ref.CleanerImpl");
            Object impl = accessible(implType.getDeclaredMethod("getCleanerImpl",
                    Class.forName("java.lang.ref.Cleaner")))
                    .invoke(null, cleaner);
            Class<?> cleanable = Class.forName("jdk.internal.ref.PhantomCleanable");
            Class<?> ref = Class.forName("jdk.internal.ref.CleanerImpl$PhantomCleanableRef");
            Field action = field(ref, "action");
            Field referent = field(java.lang.ref.Reference.class, "referent");
            Field fdNumber = field(FileDescriptor.class, "fd");
            Field old = optional(implType, "phantomCleanableList");
            if (old != null) {
                Object sentinel = old.get(impl);
                Field next = field(cleanable, "next");
                return new CleanerList(sentinel, next, next, null, null, null, action, referent, fdNumber,
                        "JDK 9-23 linked list");
            }
            Field active = optional(implType, "activeList");
            if (active != null) {
                Object list = active.get(impl);
                Class<?> node = Class.forName("jdk.internal.ref.CleanerImpl$CleanableList$Node");
                return new CleanerList(list, field(list.getClass(), "head"), field(node, "next"), field(node, "arr"),
                        field(node, "size"), field(cleanable, "node"), action, referent, fdNumber,
                        "JDK 24+ node list");
            }
            throw new IllegalStateException("CleanerImpl has neither phantomCleanableList nor activeList");
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("the JDK's Cleaner is not laid out as the agent knows (" + t + ")");
        }
    }

    String layout() {
        return layout;
    }

    /**
     * Every live socket entry, copied under the list's own lock (socket creation and close wait meanwhile, so the
     * copy is all that happens under it).
     */
    List<Entry> sockets() throws IllegalAccessException {
        List<Object> all = new ArrayList<Object>();
        synchronized (lock) {
            if (slots == null) {
                for (Object e = next.get(lock); e != null && e != lock; e = next.get(e)) {
                    all.add(e);
                }
            } else {
                for (Object n = first.get(lock); n != null; n = next.get(n)) {
                    Object[] arr = (Object[]) slots.get(n);
                    int count = size.getInt(n);
                    for (int i = 0; i < count && i < arr.length; i++) {
                        all.add(arr[i]);
                    }
                }
            }
        }
        List<Entry> out = new ArrayList<Entry>();
        for (Object e : all) {
            if (e == null || !action.getDeclaringClass().isInstance(e)) {
                continue; // another kind of cleanable (a file's, a Cleaner's own)
            }
            Object a = action.get(e);
            if (a == null || !a.getClass().getName().startsWith(SOCKET_ACTION)) {
                continue;
            }
            FileDescriptor fd = fdOf(a);
            if (fd != null) {
                out.add(new Entry(e, fd));
            }
        }
        return out;
    }

    /** The fd number of {@code fd}, or -1 once closed. */
    int number(FileDescriptor fd) {
        try {
            return fdNumber.getInt(fd);
        } catch (IllegalAccessException e) {
            return -1;
        }
    }

    /**
     * The socket impl of {@code e}, read only while {@code e} is still listed and {@code proof} still holds with the
     * list's lock held: a thread blocked in that impl's read holds the impl on its stack, so the collector cannot be
     * reclaiming it, and while {@code e} is listed its fd number is still that socket's. Null otherwise.
     */
    Object socketOf(Entry e, Proof proof) throws IllegalAccessException {
        synchronized (lock) {
            if (!listed(e.cleanable) || !proof.holds(number(e.fd))) {
                return null;
            }
            return referent.get(e.cleanable);
        }
    }

    /** A check made with the list's lock held, so no socket can close or be created meanwhile. */
    interface Proof {
        boolean holds(int fd);
    }

    private boolean listed(Object cleanable) throws IllegalAccessException {
        return listedNode == null ? next.get(cleanable) != cleanable : listedNode.get(cleanable) != null;
    }

    private FileDescriptor fdOf(Object action) throws IllegalAccessException {
        Class<?> type = action.getClass();
        Field f = capturedFd.get(type);
        if (f == null) {
            for (Field candidate : type.getDeclaredFields()) {
                if (candidate.getType() == FileDescriptor.class) {
                    f = accessible(candidate);
                    capturedFd.put(type, f);
                    break;
                }
            }
        }
        return f == null ? null : (FileDescriptor) f.get(action);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        return accessible(type.getDeclaredField(name));
    }

    private static Field optional(Class<?> type, String name) {
        try {
            return field(type, name);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    private static <T extends java.lang.reflect.AccessibleObject> T accessible(T member) {
        member.setAccessible(true);
        return member;
    }
}

package io.smtpwatchdog.rescue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which virtual threads (JDK 21+) wait to read which fd. A virtual thread blocked on a socket is not in any system
 * call: it is parked, and the JDK's read pollers keep it in a map from fd to thread until the fd is ready. That entry
 * is the proof that the thread, and the socket impl on its stack, are alive.
 */
final class VirtualReads {
    private final List<Map<?, ?>> maps;

    private VirtualReads(List<Map<?, ?>> maps) {
        this.maps = maps;
    }

    /** The read pollers' maps, or an empty view on a JDK without virtual threads or with another layout. */
    static VirtualReads forThisJdk() {
        List<Map<?, ?>> maps = new ArrayList<Map<?, ?>>();
        try {
            Class<?> poller = Class.forName("sun.nio.ch.Poller");
            Field map = poller.getDeclaredField("map");
            map.setAccessible(true);
            for (Object p : pollers(poller)) {
                Object m = map.get(p);
                if (m instanceof Map) {
                    maps.add((Map<?, ?>) m);
                }
            }
        } catch (Throwable noVirtualThreads) {
            // JDK 20 and older: no pollers, nothing to look at
        }
        return new VirtualReads(maps);
    }

    private static List<?> pollers(Class<?> poller) throws ReflectiveOperationException {
        try {
            Method m = poller.getDeclaredMethod("readPollers"); // JDK 22+
            m.setAccessible(true);
            return (List<?>) m.invoke(null);
        } catch (NoSuchMethodException jdk21) {
            Field f = poller.getDeclaredField("READ_POLLERS");
            f.setAccessible(true);
            Object[] arr = (Object[]) f.get(null);
            List<Object> out = new ArrayList<Object>();
            Collections.addAll(out, arr);
            return out;
        }
    }

    /** Every virtual thread waiting to read, by fd. */
    Map<Integer, Thread> sample() {
        Map<Integer, Thread> out = new HashMap<Integer, Thread>();
        for (Map<?, ?> m : maps) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getKey() instanceof Integer && e.getValue() instanceof Thread) {
                    out.put((Integer) e.getKey(), (Thread) e.getValue());
                }
            }
        }
        return out;
    }

    /** Whether {@code t} still waits to read {@code fd}. */
    boolean waits(int fd, Thread t) {
        for (Map<?, ?> m : maps) {
            if (m.get(fd) == t) {
                return true;
            }
        }
        return false;
    }
}

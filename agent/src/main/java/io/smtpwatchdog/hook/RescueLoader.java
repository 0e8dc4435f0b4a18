package io.smtpwatchdog.hook;

import io.smtpwatchdog.config.Declaration;
import io.smtpwatchdog.track.Tracker;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * Loads the discovery ({@code io.smtpwatchdog.rescue}) in a class loader of its own, and starts it.
 *
 * <p>The discovery reads JDK internals, so {@code java.base} opens six packages to it. Opened to the agent's own
 * loader they would be open to the host's whole class path too (one unnamed module), and a library that probes for
 * such access (Netty's selector, for one) would quietly take another path. Opened to this loader's unnamed module,
 * only the discovery sees them. Everything else resolves in the agent's loader, so the types are shared.
 */
final class RescueLoader extends ClassLoader {
    private static final String PACKAGE = "io.smtpwatchdog.rescue.";

    static {
        registerAsParallelCapable();
    }

    private RescueLoader(ClassLoader agent) {
        super(agent);
    }

    /** Starts the discovery; {@code foundAt} is {@code attach} or {@code startup}. Never throws. */
    static void start(Instrumentation inst, Tracker tracker, List<Declaration> declarations, String foundAt) {
        try {
            Class<?> rescuer = new RescueLoader(RescueLoader.class.getClassLoader())
                    .loadClass(PACKAGE + "Rescuer");
            rescuer.getMethod("start", Instrumentation.class, Tracker.class, List.class, String.class)
                    .invoke(null, inst, tracker, declarations, foundAt);
        } catch (Throwable t) {
            org.slf4j.LoggerFactory.getLogger("smtp-watchdog").warn(
                    "connections opened before the agent was live cannot be found: {}", t.toString());
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(PACKAGE)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = define(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private Class<?> define(String name) throws ClassNotFoundException {
        String resource = name.replace('.', '/') + ".class";
        try (InputStream in = getParent().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            for (int n; (n = in.read(chunk)) > 0; ) {
                bytes.write(chunk, 0, n);
            }
            byte[] b = bytes.toByteArray();
            return defineClass(name, b, 0, b.length, RescueLoader.class.getProtectionDomain());
        } catch (ClassNotFoundException e) {
            throw e;
        } catch (Exception e) {
            throw new ClassNotFoundException(name, e);
        }
    }
}

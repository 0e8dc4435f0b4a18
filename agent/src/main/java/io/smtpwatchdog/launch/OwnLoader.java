package io.smtpwatchdog.launch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A class loader of the agent's own for the classes whose names start with one prefix: it defines them itself, from
 * the bytes its parent holds, and leaves every other class to the parent, so the types are shared.
 *
 * <p>What {@code java.base} opens to such a loader's unnamed module is open to those classes alone. Opened to the
 * agent's own loader it would be open to the host's whole class path (one unnamed module), and the host would see a
 * JDK that lets it reflect where it could not before. Used for the bridge's definer ({@link BridgeLoader}) and for the
 * discovery of connections opened before the hooks were live ({@code hook.RescueLoader}).
 */
public final class OwnLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final String prefix;

    /** Defines the classes named {@code prefix...} from {@code parent}'s resources; the rest come from {@code parent}. */
    public OwnLoader(ClassLoader parent, String prefix) {
        super(parent);
        this.prefix = prefix;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(prefix)) {
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
        try {
            byte[] b = bytes(getParent(), name.replace('.', '/') + ".class");
            if (b == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, b, 0, b.length, OwnLoader.class.getProtectionDomain());
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }

    /** The bytes of {@code resource} as {@code loader} (null: the system loader) finds it, or null if it has none. */
    static byte[] bytes(ClassLoader loader, String resource) throws IOException {
        InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource);
        if (in == null) {
            return null;
        }
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            for (int n; (n = in.read(chunk)) > 0; ) {
                buf.write(chunk, 0, n);
            }
            return buf.toByteArray();
        } finally {
            in.close();
        }
    }
}

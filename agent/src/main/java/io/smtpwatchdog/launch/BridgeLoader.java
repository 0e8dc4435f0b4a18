package io.smtpwatchdog.launch;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts the one bridge class on the bootstrap class path, from its bytes in the agent jar.
 *
 * <p>Hooks inlined into {@code java.net.Socket} resolve classes through the bootstrap loader. Only the bridge goes
 * there, in a one-entry jar that is deleted as soon as the bootstrap loader has opened it; the rest of the agent stays
 * on the application class path where the host cannot see it. The bridge is named as a string here on purpose: the
 * launcher must not link against it, or the application loader would define its own copy first.
 */
final class BridgeLoader {
    static final String BRIDGE = "io.smtpwatchdog.bridge.Bridge";

    private BridgeLoader() {
    }

    /** Returns null when the bridge is on the bootstrap path, or why it is not. */
    static String inject(Instrumentation inst) {
        if (onBootstrap()) {
            return null; // attached twice: the first one put it there
        }
        String resource = BRIDGE.replace('.', '/') + ".class";
        File jar = null;
        try {
            byte[] bytes = read(BridgeLoader.class.getClassLoader(), resource);
            if (bytes == null) {
                return "the agent jar has no " + resource;
            }
            jar = File.createTempFile("smtp-watchdog-bridge", ".jar");
            JarOutputStream out = new JarOutputStream(new FileOutputStream(jar));
            try {
                out.putNextEntry(new JarEntry(resource));
                out.write(bytes);
                out.closeEntry();
            } finally {
                out.close();
            }
            inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
            return onBootstrap() ? null : "the bootstrap loader did not find the bridge in " + jar;
        } catch (Throwable t) {
            return "could not put the bridge on the bootstrap path: " + t;
        } finally {
            if (jar != null && !jar.delete()) {
                jar.deleteOnExit();
            }
        }
    }

    /** Loads the bridge through the bootstrap loader, which also opens the jar before it is deleted. */
    private static boolean onBootstrap() {
        try {
            return Class.forName(BRIDGE, false, null).getClassLoader() == null;
        } catch (Throwable notThere) {
            return false;
        }
    }

    private static byte[] read(ClassLoader loader, String resource) throws IOException {
        InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource);
        if (in == null) {
            return null;
        }
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] chunk = new byte[4096];
            for (int n; (n = in.read(chunk)) > 0; ) {
                buf.write(chunk, 0, n);
            }
            return buf.toByteArray();
        } finally {
            in.close();
        }
    }
}

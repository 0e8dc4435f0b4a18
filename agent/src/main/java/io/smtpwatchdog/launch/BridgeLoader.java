package io.smtpwatchdog.launch;

import java.io.File;
import java.io.FileOutputStream;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts the one bridge class in the bootstrap loader, from its bytes in the agent jar.
 *
 * <p>Hooks inlined into {@code java.net.Socket} resolve classes through the bootstrap loader. Only the bridge goes
 * there; the rest of the agent stays on the application class path where the host cannot see it. On JDK 15+ the
 * bridge is defined directly ({@link BootDefiner}), which keeps the JVM quiet and class data sharing on. Where that
 * is not possible (JDK 8-14) it goes on the bootstrap class path in a one-entry jar, deleted as soon as the bootstrap
 * loader has opened it, and the JVM prints its warning about sharing. The bridge is named as a string here on
 * purpose: the launcher must not link against it, or the application loader would define its own copy first.
 */
final class BridgeLoader {
    static final String BRIDGE = "io.smtpwatchdog.bridge.Bridge";

    private BridgeLoader() {
    }

    private static final String DEFINER = "io.smtpwatchdog.launch.BootDefiner";

    /** Returns null when the bridge is in the bootstrap loader, or why it is not. */
    static String inject(Instrumentation inst) {
        if (onBootstrap()) {
            return null; // attached twice: the first one put it there
        }
        String resource = BRIDGE.replace('.', '/') + ".class";
        File jar = null;
        try {
            byte[] bytes = OwnLoader.bytes(BridgeLoader.class.getClassLoader(), resource);
            if (bytes == null) {
                return "the agent jar has no " + resource;
            }
            if (!System.getProperty("java.specification.version", "1.8").startsWith("1.")) {
                String why = defineDirectly(inst, bytes);
                if (why == null && onBootstrap()) {
                    return null;
                }
                System.err.println("smtp-watchdog: the bridge goes on the bootstrap class path instead (" + why
                        + "), so the JVM warns that class data sharing is off for other loaders");
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

    /** Defines the bridge through {@link BootDefiner}, loaded by a loader of its own. Returns null or why not. */
    private static String defineDirectly(Instrumentation inst, byte[] bridge) {
        try {
            // java.lang is opened to that loader alone (OwnLoader), never to the host's class path.
            Class<?> c = new OwnLoader(BridgeLoader.class.getClassLoader(), DEFINER).loadClass(DEFINER);
            return (String) c.getMethod("define", Instrumentation.class, String.class, byte[].class)
                    .invoke(null, inst, BRIDGE, bridge);
        } catch (Throwable t) {
            return t.toString();
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
}

package io.smtpwatchdog.launch;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Defines one class in the bootstrap loader without touching the bootstrap class path (JDK 15+).
 *
 * <p>Appending to the bootstrap class path makes the JVM print "Sharing is only supported for boot loader classes
 * because bootstrap classpath has been appended" and turns class data sharing off for every other loader. Defining
 * the class directly, through {@code ClassLoader.defineClass1} with no loader, puts it where an append would have (the
 * bootstrap loader's unnamed module) and leaves sharing on. That method is private to {@code java.lang}, so
 * {@code java.base} opens {@code java.lang} to this class's module, through {@code Instrumentation.redefineModule}.
 *
 * <p>This class is only ever loaded by a throwaway loader of its own ({@link BridgeLoader}): opened to the agent's
 * loader, {@code java.lang} would be open to the host's whole class path (one unnamed module), and the host would see
 * a JDK that lets it reflect into {@code java.lang}. Java 8 bytecode, so every module API is reached by reflection.
 */
public final class BootDefiner {
    private BootDefiner() {
    }

    /** Returns null once {@code name} is defined by the bootstrap loader, or why it is not. Never throws. */
    public static String define(Instrumentation inst, String name, byte[] bytes) {
        try {
            Class<?> moduleType = Class.forName("java.lang.Module");
            Method getModule = Class.class.getMethod("getModule");
            Object base = getModule.invoke(Object.class);
            if (!(Boolean) Instrumentation.class.getMethod("isModifiableModule", moduleType).invoke(inst, base)) {
                return "java.base cannot be modified by this JVM";
            }
            Set<Object> us = Collections.singleton(getModule.invoke(BootDefiner.class));
            Map<String, Set<Object>> opens = new HashMap<String, Set<Object>>();
            opens.put("java.lang", us);
            Instrumentation.class.getMethod("redefineModule", moduleType, Set.class, Map.class, Map.class, Set.class,
                    Map.class).invoke(inst, base, Collections.emptySet(), Collections.emptyMap(), opens,
                    Collections.emptySet(), Collections.emptyMap());
            Method define1 = ClassLoader.class.getDeclaredMethod("defineClass1", ClassLoader.class, String.class,
                    byte[].class, int.class, int.class, java.security.ProtectionDomain.class, String.class);
            define1.setAccessible(true);
            Class<?> defined = (Class<?>) define1.invoke(null, null, name, bytes, 0, bytes.length, null, null);
            return defined.getClassLoader() == null ? null : "defined by " + defined.getClassLoader();
        } catch (NoSuchMethodException olderJdk) {
            return "this JDK has no static ClassLoader.defineClass1 (JDK 15+): " + olderJdk.getMessage();
        } catch (ClassNotFoundException java8) {
            return "Java " + System.getProperty("java.specification.version") + " has no module system";
        } catch (Throwable t) {
            return "could not define " + name + " in the bootstrap loader: " + t;
        }
    }
}

package io.smtpwatchdog.rescue;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Opens the few {@code java.base} packages the discovery reads to the agent's classes, through
 * {@code Instrumentation.redefineModule}: no host flag, nothing printed.
 *
 * <p>Reached by reflection because the agent is Java 8 bytecode and modules arrived in 9. The packages are opened to
 * the unnamed module of this class's own loader, which the agent keeps for the discovery alone (see
 * {@code hook.RescueLoader}): the host's class path gains no access.
 */
final class JdkAccess {
    static final String[] PACKAGES = {
        "java.lang.ref", "jdk.internal.ref", "sun.nio.ch", "java.io", "java.net", "java.util.concurrent.locks"};

    private JdkAccess() {
    }

    /** Returns null when every package is open to this class, or why not. Never throws. */
    static String open(Instrumentation inst) {
        try {
            if (inst == null) {
                return "no Instrumentation";
            }
            Class<?> moduleType;
            try {
                moduleType = Class.forName("java.lang.Module");
            } catch (ClassNotFoundException java8) {
                return "Java " + System.getProperty("java.specification.version") + " has no module system (JDK 8)";
            }
            Method getModule = Class.class.getMethod("getModule");
            Object base = getModule.invoke(Object.class);
            Object ours = getModule.invoke(JdkAccess.class);
            Method modifiable = Instrumentation.class.getMethod("isModifiableModule", moduleType);
            if (!(Boolean) modifiable.invoke(inst, base)) {
                return "java.base cannot be modified by this JVM";
            }
            Set<Object> to = Collections.singleton(ours);
            Map<String, Set<Object>> opens = new HashMap<String, Set<Object>>();
            for (String p : PACKAGES) {
                opens.put(p, to);
            }
            Instrumentation.class.getMethod("redefineModule", moduleType, Set.class, Map.class, Map.class, Set.class,
                    Map.class).invoke(inst, base, Collections.emptySet(), Collections.emptyMap(), opens,
                    Collections.emptySet(), Collections.emptyMap());
            return null;
        } catch (Throwable t) {
            return "could not open java.base to the agent: " + t;
        }
    }
}

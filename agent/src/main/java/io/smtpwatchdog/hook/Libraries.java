package io.smtpwatchdog.hook;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What became of each mail-library hook: waiting for its class (the library is absent, or not used yet), installed
 * in how many class loaders, or failed and why. A library that never loads is normal and never reported; one that
 * loads without the expected method is a version this agent does not know, and is logged once per class loader.
 */
public final class Libraries extends AgentBuilder.Listener.Adapter {
    private static final Logger LOG = LoggerFactory.getLogger("smtp-watchdog");
    private static volatile Libraries current;

    private final Map<LibraryHook, String> states = new EnumMap<LibraryHook, String>(LibraryHook.class);
    private final Map<LibraryHook, Integer> loaders = new EnumMap<LibraryHook, Integer>(LibraryHook.class);

    Libraries() {
        for (LibraryHook h : LibraryHook.values()) {
            states.put(h, "waiting");
            loaders.put(h, 0);
        }
        current = this;
    }

    /** The library hook states of the running agent, or null before it started. */
    public static Libraries current() {
        return current;
    }

    /** Each library hook's label and state, in a stable order. */
    public synchronized Map<String, String> states() {
        Map<String, String> m = new LinkedHashMap<String, String>();
        for (Map.Entry<LibraryHook, String> e : states.entrySet()) {
            m.put(e.getKey().label, e.getValue());
        }
        return m;
    }

    @Override
    public synchronized void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module,
                                              boolean loaded, DynamicType dynamicType) {
        for (LibraryHook h : LibraryHook.values()) {
            if (!h.typeName.equals(type.getName())) {
                continue;
            }
            if (h.notCovered()) {
                int n = loaders.get(h) + 1;
                loaders.put(h, n);
                states.put(h, "not covered: loaded in " + n + " class loader" + (n == 1 ? "" : "s"));
                LOG.warn("{} is loaded in {}: its connections bypass the JDK's sockets and channels, so the agent "
                        + "does not see them and guards none of them; use Netty's NIO transport to have them guarded "
                        + "(Vert.x: VertxOptions.setPreferNativeTransport(false), Quarkus: "
                        + "quarkus.vertx.prefer-native-transport=false)", h.typeName, loader);
                continue;
            }
            if (type.getDeclaredMethods().filter(h.methods).isEmpty()) {
                states.put(h, "failed: " + type.getName() + " has no method " + h.methods);
                LOG.warn("library hook {} not installed in {}: {} has no method {} (a version this agent does not "
                        + "know)", h.label, loader, type.getName(), h.methods);
            } else {
                int n = loaders.get(h) + 1;
                loaders.put(h, n);
                states.put(h, "installed in " + n + " class loader" + (n == 1 ? "" : "s"));
                LOG.info("library hook {} installed in {}", h.label, loader);
            }
        }
    }

    @Override
    public synchronized void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
                                     Throwable error) {
        for (LibraryHook h : LibraryHook.values()) {
            if (h.typeName.equals(typeName)) {
                states.put(h, "failed: " + error);
                LOG.warn("library hook {} not installed in {}: {}", h.label, loader, error.toString());
            }
        }
    }
}

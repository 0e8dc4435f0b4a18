package io.smtpwatchdog.hook;

import io.smtpwatchdog.track.Policy;
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
 * What became of each hook: installed, verified by the self-test, failed (and why), or still waiting for its class to
 * be loaded. Fed by Byte Buddy's install listener, read by the self-test, the startup log line and operators.
 */
public final class Hooks extends AgentBuilder.Listener.Adapter {
    private static final Logger LOG = LoggerFactory.getLogger("smtp-watchdog");
    private static volatile Hooks current;

    private final Map<Hook, String> states = new EnumMap<Hook, String>(Hook.class);
    private final Policy policy;

    Hooks(Policy policy) {
        this.policy = policy;
        for (Hook h : Hook.values()) {
            states.put(h, existsOnThisJdk(h.typeName) ? "waiting for " + h.typeName + " to load"
                    : "not used on this JDK (no " + h.typeName + ")");
        }
        current = this;
    }

    /** Looks for the class file without loading the class: loading it here would run our own transformer early. */
    private static boolean existsOnThisJdk(String typeName) {
        return ClassLoader.getSystemResource(typeName.replace('.', '/') + ".class") != null;
    }

    /** The hook states of the running agent, or null before it started. */
    public static Hooks current() {
        return current;
    }

    synchronized boolean installed(Hook h) {
        String s = states.get(h);
        return s.startsWith("installed") || s.startsWith("verified");
    }

    synchronized void set(Hook h, String state) {
        states.put(h, state);
    }

    /** Each hook's label and state, in a stable order. */
    public synchronized Map<String, String> states() {
        Map<String, String> m = new LinkedHashMap<String, String>();
        for (Map.Entry<Hook, String> e : states.entrySet()) {
            m.put(e.getKey().label, e.getValue());
        }
        return m;
    }

    /** TLS greetings are visible only with both TLS hooks: the layered sockets' reads need the alias too. */
    private void tlsVisibility() {
        policy.tlsGreetingsVisible(installed(Hook.TLS_READ) && installed(Hook.TLS_LAYER));
        policy.tlsRepliesVisible(installed(Hook.TLS_READ) && installed(Hook.TLS_LAYER) && installed(Hook.TLS_WRITE));
    }

    @Override
    public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                 DynamicType dynamicType) {
        for (Hook h : Hook.values()) {
            if (h.typeName.equals(type.getName())) {
                boolean matched = !type.getDeclaredMethods().filter(h.methods).isEmpty();
                set(h, matched ? "installed" : "failed: no method of " + type.getName() + " matches");
                if (!matched) {
                    LOG.warn("hook {} not installed: no method of {} matches on this JDK", h.label, type.getName());
                }
            }
        }
        tlsVisibility();
    }

    @Override
    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
        for (Hook h : Hook.values()) {
            if (h.typeName.equals(typeName)) {
                set(h, "failed: " + error);
                LOG.warn("hook {} not installed in {}: {}", h.label, typeName, error.toString());
            }
        }
        tlsVisibility();
    }
}

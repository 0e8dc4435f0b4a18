package io.smtpwatchdog.hook;

import io.smtpwatchdog.config.Declaration;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's declared methods in the host's classes: how each is matched, and what became of it (waiting for its
 * class, installed, or failed and why). A declaration that matches nothing is reported, never silently ignored.
 */
public final class Pointcuts extends AgentBuilder.Listener.Adapter {
    private static final Logger LOG = LoggerFactory.getLogger("smtp-watchdog");
    private static volatile Pointcuts current;

    private final List<Declaration> declarations;
    private final String[] states;
    private final int[] loaders;

    Pointcuts(List<Declaration> declarations) {
        this.declarations = declarations;
        this.states = new String[declarations.size()];
        this.loaders = new int[declarations.size()];
        for (int i = 0; i < states.length; i++) {
            states[i] = "waiting for " + declarations.get(i).typeName() + " to load";
        }
        current = this;
    }

    /** The declarations of the running agent and their states, or null before it started. */
    public static Pointcuts current() {
        return current;
    }

    /** Each declaration, as written with its kind, and its state, in the order declared. */
    public synchronized Map<String, String> states() {
        Map<String, String> m = new LinkedHashMap<String, String>();
        for (int i = 0; i < states.length; i++) {
            Declaration d = declarations.get(i);
            m.put(d.kind().key() + "=" + d.text(), states[i]);
        }
        return m;
    }

    /** The declared methods of {@code d}; never throws, a description it cannot read simply does not match. */
    static ElementMatcher<MethodDescription> methods(final Declaration d) {
        return new ElementMatcher<MethodDescription>() {
            @Override
            public boolean matches(MethodDescription m) {
                try {
                    if (!m.isMethod() || m.isAbstract() || !m.getName().equals(d.methodName())) {
                        return false;
                    }
                    ParameterList<?> actual = m.getParameters();
                    List<String> wanted = d.parameterTypes();
                    if (d.anyMoreParameters() ? actual.size() < wanted.size() : actual.size() != wanted.size()) {
                        return false;
                    }
                    for (int i = 0; i < wanted.size(); i++) {
                        if (!actual.get(i).getType().asErasure().getActualName().equals(wanted.get(i))) {
                            return false;
                        }
                    }
                    return true;
                } catch (Throwable t) {
                    return false;
                }
            }

            @Override
            public String toString() {
                return d.text();
            }
        };
    }

    /** Logs, once the host has started, every declaration that still matches no loaded class. */
    public synchronized List<String> reportUnmatched() {
        List<String> unmatched = new ArrayList<String>();
        for (int i = 0; i < states.length; i++) {
            if (states[i].startsWith("waiting")) {
                Declaration d = declarations.get(i);
                unmatched.add(d.kind().key() + "=" + d.text());
                LOG.warn("declared {} {} matches no loaded class yet: check the class name (it is still watched "
                        + "for, should it load later)", d.kind().key(), d.text());
            }
        }
        return unmatched;
    }

    @Override
    public synchronized void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module,
                                              boolean loaded, DynamicType dynamicType) {
        for (int i = 0; i < states.length; i++) {
            Declaration d = declarations.get(i);
            if (!d.typeName().equals(type.getName())) {
                continue;
            }
            if (type.getDeclaredMethods().filter(methods(d)).isEmpty()) {
                states[i] = "failed: " + type.getName() + " has no method matching " + d.text();
                LOG.warn("declared {} {} not installed: {} has no such method (is the parameter list right?)",
                        d.kind().key(), d.text(), type.getName());
            } else {
                loaders[i]++;
                states[i] = "installed in " + loaders[i] + " class loader" + (loaders[i] == 1 ? "" : "s");
                LOG.info("declared {} {} installed in {}", d.kind().key(), d.text(), loader);
            }
        }
    }

    @Override
    public synchronized void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
                                     Throwable error) {
        for (int i = 0; i < states.length; i++) {
            Declaration d = declarations.get(i);
            if (d.typeName().equals(typeName)) {
                states[i] = "failed: " + error;
                LOG.warn("declared {} {} not installed in {}: {}", d.kind().key(), d.text(), typeName,
                        error.toString());
            }
        }
    }
}

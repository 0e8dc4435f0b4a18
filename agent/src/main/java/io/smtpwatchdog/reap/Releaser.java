package io.smtpwatchdog.reap;

import io.smtpwatchdog.config.Declaration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Gives a slot back on the host's behalf by calling its declared release method, with the domain where the
 * declaration says and default values (null, 0, false) in any other parameter. One thread at a time (the reaper's,
 * or an operator's under a lock of its own), so its cache is a plain weak map: host classes may be unloaded.
 */
final class Releaser {
    private static final Logger LOG = LoggerFactory.getLogger("smtp-watchdog");
    /** Marks a class with no usable release method, so it is looked for (and warned about) once. */
    private static final Object NONE = new Object();

    private final List<Declaration> declarations;
    private final Map<Class<?>, Object> byClass = new WeakHashMap<Class<?>, Object>();

    Releaser(List<Declaration> declarations) {
        this.declarations = declarations;
    }

    /** Calls the release method for {@code domain} on {@code owner}; returns what was called, or null. */
    String release(Object owner, String domain) {
        Target t = target(owner, true);
        if (t == null) {
            return null;
        }
        try {
            t.call(owner, domain);
            return t.declaration.text();
        } catch (Throwable e) {
            LOG.error("giving a slot of {} back through {} failed", domain, t.declaration.text(), e);
            return null;
        }
    }

    /**
     * The release method declared for {@code owner}'s class or a supertype, or null if there is none; looked for
     * once per class, and with {@code warn} said once in the log when there is none.
     */
    Target target(Object owner, boolean warn) {
        Class<?> type = owner instanceof Class ? (Class<?>) owner : owner.getClass();
        Object found = byClass.get(type);
        if (found == null) {
            found = find(type);
            byClass.put(type, found);
            if (found == NONE && warn) {
                LOG.warn("cannot give slots back to {}: no slotRelease is declared for it or its supertypes",
                        type.getName());
            }
        }
        return found == NONE ? null : (Target) found;
    }

    private Object find(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            Object t = declaredOn(c);
            if (t != null) {
                return t;
            }
            for (Class<?> i : c.getInterfaces()) {
                t = declaredOn(i);
                if (t != null) {
                    return t;
                }
            }
        }
        return NONE;
    }

    private Target declaredOn(Class<?> c) {
        for (Declaration d : declarations) {
            if (d.kind() != Declaration.Kind.SLOT_RELEASE || !d.typeName().equals(c.getName())) {
                continue;
            }
            for (Method m : c.getDeclaredMethods()) {
                if (matches(m, d)) {
                    try {
                        m.setAccessible(true);
                    } catch (Throwable ignored) {
                        // public methods of public classes work without it
                    }
                    return new Target(m, d);
                }
            }
        }
        return null;
    }

    private static boolean matches(Method m, Declaration d) {
        if (!m.getName().equals(d.methodName())) {
            return false;
        }
        Class<?>[] params = m.getParameterTypes();
        List<String> wanted = d.parameterTypes();
        if (d.anyMoreParameters() ? params.length < wanted.size() : params.length != wanted.size()) {
            return false;
        }
        for (int i = 0; i < wanted.size(); i++) {
            if (!params[i].getTypeName().equals(wanted.get(i))) {
                return false;
            }
        }
        return d.domainArgument() < params.length && params[d.domainArgument()].isAssignableFrom(String.class);
    }

    private static Object defaultOf(Class<?> type) {
        if (!type.isPrimitive()) {
            return null;
        }
        if (type == boolean.class) {
            return Boolean.FALSE;
        }
        if (type == char.class) {
            return (char) 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == float.class) {
            return 0f;
        }
        if (type == double.class) {
            return 0d;
        }
        if (type == byte.class) {
            return (byte) 0;
        }
        if (type == short.class) {
            return (short) 0;
        }
        return 0;
    }

    /** A declared release method, found on the host's class. */
    static final class Target {
        final Method method;
        final Declaration declaration;

        Target(Method method, Declaration declaration) {
            this.method = method;
            this.declaration = declaration;
        }

        /** Calls it on {@code owner} for {@code domain}; throws what the host's method threw. */
        void call(Object owner, String domain) throws Throwable {
            Class<?>[] types = method.getParameterTypes();
            Object[] args = new Object[types.length];
            for (int i = 0; i < args.length; i++) {
                args[i] = defaultOf(types[i]);
            }
            args[declaration.domainArgument()] = domain;
            try {
                method.invoke(Modifier.isStatic(method.getModifiers()) ? null : owner, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}

package io.smtpwatchdog.hook;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * Advice grouped by the class it goes into, applied to an agent builder that looks at those classes only, by name.
 *
 * <p>The advice is built here, before {@code installOn}: building it inside a transformer loads classes while
 * {@code java.net.Socket} is being transformed (ClassCircularityError). Matching by name alone also keeps an agent
 * from reading every loaded class's description, which Byte Buddy's default ignore rule does, and its default ignores
 * the bootstrap classes that are some of our targets.
 */
final class AdviceByType {
    private final Map<String, List<AsmVisitorWrapper>> byType = new LinkedHashMap<String, List<AsmVisitorWrapper>>();

    void add(String typeName, AsmVisitorWrapper advice) {
        List<AsmVisitorWrapper> list = byType.get(typeName);
        if (list == null) {
            list = new ArrayList<AsmVisitorWrapper>();
            byType.put(typeName, list);
        }
        list.add(advice);
    }

    /** {@code base}, told to ignore every class but ours and to visit each of ours with its advice. */
    AgentBuilder applyTo(AgentBuilder base) {
        ElementMatcher.Junction<TypeDescription> targets = none();
        for (String name : byType.keySet()) {
            targets = targets.or(named(name));
        }
        AgentBuilder builder = base.ignore(not(targets));
        for (Map.Entry<String, List<AsmVisitorWrapper>> e : byType.entrySet()) {
            final List<AsmVisitorWrapper> wrappers = e.getValue();
            builder = builder.type(named(e.getKey())).transform((b, type, loader, module, domain) -> {
                for (AsmVisitorWrapper w : wrappers) {
                    b = b.visit(w);
                }
                return b;
            });
        }
        return builder;
    }
}

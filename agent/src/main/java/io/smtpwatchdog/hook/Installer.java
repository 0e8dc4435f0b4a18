package io.smtpwatchdog.hook;

import io.smtpwatchdog.bridge.Bridge;
import io.smtpwatchdog.config.Declaration;
import io.smtpwatchdog.jmx.Registrar;
import io.smtpwatchdog.reap.Reaper;
import io.smtpwatchdog.track.Policy;
import io.smtpwatchdog.track.Tracker;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.description.type.TypeDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;

/**
 * Installs the hooks and starts the watchdog, on the agent's own thread, after premain has returned.
 *
 * <p>Loaded by reflection from the launcher, once the {@link Bridge} is on the bootstrap path: this class and the
 * tracker mention the bridge type, the launcher must not (a loader constraint would fail the whole agent).
 */
public final class Installer {
    private static final Logger LOG = LoggerFactory.getLogger("smtp-watchdog");

    private Installer() {
    }

    /**
     * Installs and self-tests the hooks, then starts the reaper. Never throws: a failure leaves the host untouched
     * and is logged.
     *
     * @param summary    the effective options, for the startup log line
     * @param startNanos when premain was entered, to report how long the hooks took to go live
     * @param attached   loaded into a running JVM (agentmain) rather than at its start
     */
    public static void install(Instrumentation inst, Policy policy, int maxDestinations,
                               List<Declaration> declarations, String summary, long startNanos, boolean attached) {
        try {
            if (Bridge.class.getClassLoader() != null) {
                LOG.error("not started: the bridge class was loaded by {} instead of the bootstrap loader, so no hook "
                        + "could reach it", Bridge.class.getClassLoader());
                return;
            }
            Tracker tracker = new Tracker(policy, maxDestinations);
            tracker.declarations(declarations);
            Hooks live = new Hooks(policy);
            final Pointcuts pointcuts = new Pointcuts(declarations);
            tracker.activate();
            Reaper reaper = new Reaper(tracker, new Runnable() {
                @Override
                public void run() {
                    pointcuts.reportUnmatched();
                }
            });
            reaper.start();
            Registrar.start(tracker, reaper);
            builder(live).installOn(inst);
            Libraries libraries = new Libraries();
            libraryBuilder(libraries).installOn(inst);
            if (!declarations.isEmpty()) {
                hostBuilder(declarations, pointcuts).installOn(inst);
            }
            List<String> missing = SelfTest.run(tracker, live);
            if (!missing.isEmpty()) {
                String reason = String.join("; ", missing);
                policy.forceMonitor(reason);
                LOG.warn("staying in monitor mode, nothing will be closed: {}", reason);
            }
            if (attached) {
                StuckAtAttach.report();
            }
            long ms = (System.nanoTime() - startNanos) / 1_000_000L;
            LOG.info("smtp-watchdog active in {} ms: {}, mode in force {}; hooks {}; libraries {}", ms, summary,
                    policy.enforcing() ? "enforce" : "monitor", live.states(), libraries.states());
        } catch (Throwable t) {
            Bridge.install(null);
            LOG.error("not started: installing the hooks failed; the host runs on untouched", t);
        }
    }

    /**
     * The operator's declared methods, in the host's own classes, in whichever class loader defines them. Nothing
     * is installed when nothing is declared.
     */
    private static AgentBuilder hostBuilder(List<Declaration> declarations, Pointcuts pointcuts) {
        Map<String, List<AsmVisitorWrapper>> byType = new LinkedHashMap<String, List<AsmVisitorWrapper>>();
        for (int id = 0; id < declarations.size(); id++) {
            Declaration d = declarations.get(id);
            List<AsmVisitorWrapper> list = byType.get(d.typeName());
            if (list == null) {
                list = new ArrayList<AsmVisitorWrapper>();
                byType.put(d.typeName(), list);
            }
            Advice.WithCustomMapping mapping = Advice.withCustomMapping().bind(DeclarationId.class, id);
            Class<?> advice = d.kind() == Declaration.Kind.DELIVERY ? DeliveryAdvice.class
                    : d.kind() == Declaration.Kind.SLOT_ACQUIRE ? AcquireAdvice.class : ReleaseAdvice.class;
            list.add(mapping.to(advice).on(Pointcuts.methods(d)));
        }
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(pointcuts);
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

    /**
     * The mail libraries' hooks, in whichever class loaders define their classes. Always installed: it matches by
     * class name only, so a library that is absent costs a name comparison per loaded class and links nothing.
     */
    private static AgentBuilder libraryBuilder(Libraries libraries) {
        Map<String, List<AsmVisitorWrapper>> byType = new LinkedHashMap<String, List<AsmVisitorWrapper>>();
        for (LibraryHook h : LibraryHook.values()) {
            List<AsmVisitorWrapper> list = byType.get(h.typeName);
            if (list == null) {
                list = new ArrayList<AsmVisitorWrapper>();
                byType.put(h.typeName, list);
            }
            list.add(Advice.to(h.advice).on(h.methods));
        }
        ElementMatcher.Junction<TypeDescription> targets = none();
        for (String name : byType.keySet()) {
            targets = targets.or(named(name));
        }
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(libraries)
                // By name only: the default ignore would read every loaded class's modifiers to skip synthetic ones.
                .ignore(net.bytebuddy.matcher.ElementMatchers.not(targets));
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

    private static AgentBuilder builder(Hooks hooks) {
        // Advice is built before installOn: building it inside a transformer loads classes while java.net.Socket
        // is being transformed (ClassCircularityError).
        Map<String, List<AsmVisitorWrapper>> byType = new LinkedHashMap<String, List<AsmVisitorWrapper>>();
        for (Hook h : Hook.values()) {
            List<AsmVisitorWrapper> list = byType.get(h.typeName);
            if (list == null) {
                list = new ArrayList<AsmVisitorWrapper>();
                byType.put(h.typeName, list);
            }
            list.add(Advice.to(h.advice).on(h.methods));
        }
        ElementMatcher.Junction<TypeDescription> targets = none();
        for (String name : byType.keySet()) {
            targets = targets.or(named(name));
        }
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                // Transforming Socket loads its nest members; reiterating catches Socket$SocketInputStream too.
                .with(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE)
                .with(hooks)
                // The default ignores bootstrap classes, which are exactly our targets: ignore all but them.
                .ignore(net.bytebuddy.matcher.ElementMatchers.not(targets));
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

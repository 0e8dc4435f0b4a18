package io.smtpwatchdog.hook;

import io.smtpwatchdog.Version;
import io.smtpwatchdog.bridge.Bridge;
import io.smtpwatchdog.config.Declaration;
import io.smtpwatchdog.jmx.Registrar;
import io.smtpwatchdog.reap.Reaper;
import io.smtpwatchdog.track.Policy;
import io.smtpwatchdog.track.Tracker;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * Installs the hooks and starts the watchdog, on the agent's own thread, while premain waits up to startupWait.
 *
 * <p>Loaded by reflection from the launcher, once the {@link Bridge} is in the bootstrap loader: this class and the
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
            tracker.attribution().declarations(declarations);
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
            Libraries libraries = new Libraries();
            // The MBean reads these states through suppliers: the jmx package must not depend on this one.
            Registrar.start(tracker, reaper, live::states, pointcuts::states, libraries::states);
            builder(live).installOn(inst);
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
            // Sockets connected before the hooks were live: at attach, whatever the host had open; at startup, what it
            // connected in the first second. Their stuck readers are found and freed.
            RescueLoader.start(inst, tracker, declarations, attached ? "attach" : "startup");
            long ms = (System.nanoTime() - startNanos) / 1_000_000L;
            LOG.info("smtp-watchdog active in {} ms: version {}, {}, mode in force {}; hooks {}; libraries {}", ms,
                    Version.current(), summary, policy.enforcing() ? "enforce" : "monitor", live.states(),
                    libraries.states());
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
        AdviceByType advice = new AdviceByType();
        for (int id = 0; id < declarations.size(); id++) {
            Declaration d = declarations.get(id);
            Class<?> kind = d.kind() == Declaration.Kind.DELIVERY ? DeliveryAdvice.class
                    : d.kind() == Declaration.Kind.SLOT_ACQUIRE ? AcquireAdvice.class : ReleaseAdvice.class;
            advice.add(d.typeName(), Advice.withCustomMapping().bind(DeclarationId.class, id).to(kind)
                    .on(Pointcuts.methods(d)));
        }
        return advice.applyTo(new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(pointcuts));
    }

    /**
     * The mail libraries' hooks, in whichever class loaders define their classes. Always installed: it matches by
     * class name only, so a library that is absent costs a name comparison per loaded class and links nothing.
     */
    private static AgentBuilder libraryBuilder(Libraries libraries) {
        AdviceByType advice = new AdviceByType();
        for (LibraryHook h : LibraryHook.values()) {
            // A transport that is not covered changes nothing: it is matched only for the listener to report it.
            advice.add(h.typeName,
                    h.notCovered() ? AsmVisitorWrapper.NoOp.INSTANCE : Advice.to(h.advice).on(h.methods));
        }
        return advice.applyTo(new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(libraries));
    }

    /** The JDK's socket and TLS classes. */
    private static AgentBuilder builder(Hooks hooks) {
        AdviceByType advice = new AdviceByType();
        for (Hook h : Hook.values()) {
            advice.add(h.typeName, Advice.to(h.advice).on(h.methods));
        }
        return advice.applyTo(new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                // Transforming Socket loads its nest members; reiterating catches Socket$SocketInputStream too.
                .with(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE)
                .with(hooks));
    }
}

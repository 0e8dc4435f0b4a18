package io.smtpwatchdog.launch;

import io.smtpwatchdog.config.Durations;
import io.smtpwatchdog.config.Mode;
import io.smtpwatchdog.config.OptionError;
import io.smtpwatchdog.config.Options;
import io.smtpwatchdog.config.Settings;
import io.smtpwatchdog.log.AgentLog;
import io.smtpwatchdog.track.AgentThread;
import io.smtpwatchdog.track.Phase;
import io.smtpwatchdog.track.Policy;

import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The agent's entry point, for {@code -javaagent} (premain) and for attaching to a running JVM (agentmain).
 *
 * <p>A launcher only: it parses the options, defines the bridge in the bootstrap loader and hands over to the installer,
 * by reflection, on a thread of the agent's own; the host's start waits for that thread at most {@code startupWait}.
 * Nothing escapes from here: a bad option or a failure prints one line and leaves the host running without the agent.
 * Only one agent runs in a JVM: a second load, by any means, is refused with one line ({@link ActiveMarker}).
 */
public final class Premain {
    private static final String INSTALLER = "io.smtpwatchdog.hook.Installer";
    /**
     * Byte Buddy's Nexus is not needed (no class-format changes) and on JDK 24+ its probe prints sun.misc.Unsafe
     * warnings into the host's output. The name is the relocated one: relocation rewrites Byte Buddy's own.
     */
    private static final String NEXUS_OFF = "io.smtpwatchdog.shaded.bytebuddy.nexus.disabled";

    private Premain() {
    }

    /** Called by the JVM for {@code -javaagent:smtp-watchdog-agent.jar[=options]}. */
    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    /** Called by the JVM when the agent is attached to a running process. */
    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    private static void start(String args, final Instrumentation inst, final boolean attached) {
        final long startNanos = System.nanoTime();
        boolean withdrawOnFailure = false;
        try {
            if (ActiveMarker.refusedAsSecond(ActiveMarker.active())) {
                return;
            }
            final Settings settings;
            try {
                settings = Options.resolve(args, System.getProperties(), System.getenv());
            } catch (OptionError e) {
                System.err.println(e.getMessage() + " (smtp-watchdog stays inactive; the host runs without it)");
                return;
            }
            if (ActiveMarker.refusedAsSecond(ActiveMarker.claim(settings.describe()))) {
                return;
            }
            withdrawOnFailure = true;
            AgentLog.setLevel(settings.logLevel());
            // A blocking stderr must not stop the reaper or park host threads; nothing has logged yet.
            AgentLog.writeInBackground();
            if (System.getProperty(NEXUS_OFF) == null) {
                System.setProperty(NEXUS_OFF, "true");
            }
            String why = BridgeLoader.inject(inst);
            if (why != null) {
                ActiveMarker.withdraw();
                System.err.println("smtp-watchdog: not started: " + why + " (the host runs without it)");
                return;
            }
            final CountDownLatch installed = new CountDownLatch(1);
            new AgentThread("smtp-watchdog-install", new Runnable() {
                @Override
                public void run() {
                    try {
                        handOver(inst, settings, startNanos, attached);
                    } finally {
                        installed.countDown();
                    }
                }
            }).start();
            withdrawOnFailure = false; // the installer runs: the agent is active, whatever happens here now
            // By default the host does not wait (the discovery finds what it connects meanwhile); with a declared
            // slotAcquire it does, since a slot taken before that hook is live could never be given back.
            long wait = settings.startupWaitMillis();
            if (wait > 0 && !installed.await(wait, TimeUnit.MILLISECONDS)) {
                System.err.println("smtp-watchdog: hooks not live after startupWait=" + Durations.format(wait)
                        + "; the host starts now and the install goes on in the background");
            }
        } catch (Throwable t) {
            if (withdrawOnFailure) {
                ActiveMarker.withdraw();
            }
            System.err.println("smtp-watchdog: not started: " + t + " (the host runs without it)");
        }
    }

    private static void handOver(Instrumentation inst, Settings settings, long startNanos, boolean attached) {
        try {
            Policy policy = new Policy(settings.ports(), settings.bannerTimeoutMillis(),
                    settings.mode() == Mode.ENFORCE);
            policy.slotGraceMillis(settings.slotGraceMillis());
            policy.captureStacks(settings.captureStacks());
            for (Phase phase : Phase.values()) {
                if (phase != Phase.GREETING) {
                    policy.timeoutMillis(phase, settings.replyTimeoutMillis(phase.option));
                }
            }
            Class.forName(INSTALLER)
                    .getMethod("install", Instrumentation.class, Policy.class, int.class, List.class, String.class,
                            long.class, boolean.class)
                    .invoke(null, inst, policy, settings.maxDestinations(), settings.declarations(),
                            settings.describe(), startNanos, attached);
        } catch (Throwable t) {
            ActiveMarker.withdraw();
            System.err.println("smtp-watchdog: not started: " + t + " (the host runs without it)");
        }
    }
}

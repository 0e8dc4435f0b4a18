package io.smtpwatchdog.hook;

import io.smtpwatchdog.config.Declaration;
import io.smtpwatchdog.launch.OwnLoader;
import io.smtpwatchdog.track.Tracker;

import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * Loads the discovery ({@code io.smtpwatchdog.rescue}) in a class loader of its own ({@link OwnLoader}), and starts it.
 *
 * <p>The discovery reads JDK internals, so {@code java.base} opens six packages to it. Opened to the agent's own
 * loader they would be open to the host's whole class path too, and a library that probes for such access (Netty's
 * selector, for one) would quietly take another path. Opened to this loader's unnamed module, only the discovery sees
 * them.
 */
final class RescueLoader {
    private static final String PACKAGE = "io.smtpwatchdog.rescue.";

    private RescueLoader() {
    }

    /** Starts the discovery; {@code foundAt} is {@code attach} or {@code startup}. Never throws. */
    static void start(Instrumentation inst, Tracker tracker, List<Declaration> declarations, String foundAt) {
        try {
            Class<?> rescuer = new OwnLoader(RescueLoader.class.getClassLoader(), PACKAGE)
                    .loadClass(PACKAGE + "Rescuer");
            rescuer.getMethod("start", Instrumentation.class, Tracker.class, List.class, String.class)
                    .invoke(null, inst, tracker, declarations, foundAt);
        } catch (Throwable t) {
            org.slf4j.LoggerFactory.getLogger("smtp-watchdog").warn(
                    "connections opened before the agent was live cannot be found: {}", t.toString());
        }
    }
}

package io.smtpwatchdog.it.child;

import java.util.Map;

/**
 * What a child program sees of the agent that runs in its own JVM: the real tracker's counters and hook states,
 * reached by reflection through the application class path, where {@code -javaagent} put the agent jar.
 */
public final class AgentView {
    private AgentView() {
    }

    /** Waits until the agent's self-test has verified the read hook, then prints {@code LIVE}. */
    public static void awaitLive() throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            Map<?, ?> hooks = hooks();
            if (hooks != null && "verified".equals(hooks.get("read")) && tracker() != null) {
                System.out.println("LIVE hooks=" + hooks);
                return;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the agent's hooks did not go live within 60 s: " + hooks());
    }

    public static Object tracker() throws Exception {
        return Class.forName("io.smtpwatchdog.track.Tracker").getMethod("current").invoke(null);
    }

    public static Map<?, ?> hooks() throws Exception {
        Class<?> h = Class.forName("io.smtpwatchdog.hook.Hooks");
        Object current = h.getMethod("current").invoke(null);
        return current == null ? null : (Map<?, ?>) h.getMethod("states").invoke(current);
    }

    public static Map<?, ?> totals() throws Exception {
        Object t = tracker();
        return (Map<?, ?>) t.getClass().getMethod("totals").invoke(t);
    }

    public static Map<?, ?> destinations() throws Exception {
        Object t = tracker();
        return (Map<?, ?>) t.getClass().getMethod("destinations").invoke(t);
    }

    /** The mail-library hooks' states, by label. */
    public static Map<?, ?> libraries() throws Exception {
        Class<?> l = Class.forName("io.smtpwatchdog.hook.Libraries");
        Object current = l.getMethod("current").invoke(null);
        return current == null ? null : (Map<?, ?>) l.getMethod("states").invoke(current);
    }

    /** Prints {@code LIBRARIES {...}}, {@code TOTALS {...}} and one {@code DEST name {...}} line per destination. */
    public static void printCounters() throws Exception {
        System.out.println("LIBRARIES " + libraries());
        System.out.println("TOTALS " + totals());
        for (Map.Entry<?, ?> e : destinations().entrySet()) {
            System.out.println("DEST " + e.getKey() + " " + e.getValue());
        }
    }
}

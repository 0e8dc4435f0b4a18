package io.smtpwatchdog.launch;

/**
 * The system property {@value #PROPERTY}: present while an SMTP Watchdog agent runs in this JVM, its value the
 * options that agent started with (as the startup line shows them).
 *
 * <p>One agent per JVM: a second one would hook every socket a second time and fight the first over the host's
 * slots. A system property is what both sides can see without the agent's classes: the agent's own entry point
 * (premain or agentmain, however the jar was loaded: {@code -javaagent} twice, the CLI, {@code jcmd
 * JVMTI.agent_load}) reads it in the JVM itself, and the CLI reads it through the attach API
 * ({@code VirtualMachine.getSystemProperties()}) before it loads anything, without JMX. The name is outside the
 * {@code smtpwatchdog.} prefix on purpose: that prefix holds options, where an unknown key is an error.
 *
 * <p>It is set once the options are accepted (an agent that refuses its options is not active, and a corrected
 * attach may follow) and removed again if the launcher cannot start the agent. An install that fails later, inside
 * the installer, keeps it: some hooks may be in place, and a second agent over them is what this prevents. Runtime
 * changes over JMX do not update it: it says what the agent started with.
 */
final class ActiveMarker {
    static final String PROPERTY = "io.smtpwatchdog.active";

    private ActiveMarker() {
    }

    /** The options of the agent active in this JVM, or null if there is none. */
    static String active() {
        try {
            return System.getProperty(PROPERTY);
        } catch (Throwable refused) {
            return null; // a SecurityManager that refuses the read: nothing to go by
        }
    }

    /** Marks this JVM as having an active agent; returns null, or the options of the one that was first. */
    static String claim(String options) {
        try {
            // Atomic, so two loads racing each other cannot both win.
            Object before = System.getProperties().putIfAbsent(PROPERTY, options);
            return before == null ? null : String.valueOf(before);
        } catch (Throwable refused) {
            return null;
        }
    }

    /** The agent did not start after all. */
    static void withdraw() {
        try {
            System.getProperties().remove(PROPERTY);
        } catch (Throwable refused) {
            // as in claim: nothing was set
        }
    }

    /**
     * In the agent's entry point: true, after one line on the host's stderr, if {@code activeOptions} (what
     * {@link #active()} or {@link #claim(String)} returned) says another agent is active already.
     */
    static boolean refusedAsSecond(String activeOptions) {
        if (activeOptions == null) {
            return false;
        }
        System.err.println("smtp-watchdog: not loaded: an SMTP Watchdog agent is already active in this JVM, with "
                + activeOptions + "; " + instead());
        return true;
    }

    /** What to do instead of loading a second agent, for the refusal lines. */
    static String instead() {
        return "change Mode, greeting or reply timeouts at runtime over JMX (smtpwatchdog:type=Watchdog), other options "
                + "by restarting the JVM with them";
    }
}

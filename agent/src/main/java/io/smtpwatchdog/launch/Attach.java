package io.smtpwatchdog.launch;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The JDK's attach API, reached by reflection: the agent is Java 8 bytecode, and {@code com.sun.tools.attach} is in
 * the {@code jdk.attach} module (JDK 9+) or {@code tools.jar} (JDK 8), never in a JRE. Every failure becomes a
 * {@link CliError} that says what to do about it.
 */
final class Attach {
    private final Object vm;
    private final Class<?> type;

    private Attach(Object vm, Class<?> type) {
        this.vm = vm;
        this.type = type;
    }

    static Attach to(String pid) throws CliError {
        if (!pid.matches("[0-9]{1,10}")) {
            throw new CliError("'" + pid + "' is not a process id (a number, as jps or jcmd -l shows)");
        }
        JavaProcess.require(pid);
        Class<?> type;
        try {
            type = Class.forName("com.sun.tools.attach.VirtualMachine");
        } catch (ClassNotFoundException e) {
            throw new CliError("this Java has no attach API: run the command with a JDK's java (not a JRE), "
                    + "and on JDK 8 with tools.jar on the class path");
        }
        try {
            return new Attach(type.getMethod("attach", String.class).invoke(null, pid), type);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            String name = cause.getClass().getSimpleName();
            if (name.equals("AttachNotSupportedException")) {
                throw new CliError("cannot attach to process " + pid + ": " + cause.getMessage() + ". Is it a Java "
                        + "process of this user? A JVM started with -XX:+DisableAttachMechanism refuses every attach");
            }
            if (String.valueOf(cause.getMessage()).contains("No such process")) {
                throw new CliError("there is no process " + pid + " (jps or jcmd -l list the Java processes)");
            }
            throw new CliError("cannot attach to process " + pid + ": " + cause);
        } catch (Exception e) {
            throw new CliError("cannot attach to process " + pid + ": " + e);
        }
    }

    /** Starts the target's local JMX agent (or finds it running) and returns its connector address. */
    String localJmxAddress() throws CliError {
        return (String) call("startLocalManagementAgent", new Class<?>[0]);
    }

    /** A system property of the target, read through the attach API (no JMX), or null. */
    String systemProperty(String key) throws CliError {
        Object all = call("getSystemProperties", new Class<?>[0]);
        return all instanceof java.util.Properties ? ((java.util.Properties) all).getProperty(key) : null;
    }

    /** Loads {@code jar} as an agent with {@code options}; its agentmain runs in the target. */
    void loadAgent(String jar, String options) throws CliError {
        call("loadAgent", new Class<?>[] {String.class, String.class}, jar, options);
    }

    void detach() {
        try {
            type.getMethod("detach").invoke(vm);
        } catch (Exception ignored) {
            // detaching from a process that went away
        }
    }

    private Object call(String method, Class<?>[] types, Object... args) throws CliError {
        try {
            Method m = type.getMethod(method, types);
            return m.invoke(vm, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause.getClass().getSimpleName().equals("AgentLoadException")
                    || String.valueOf(cause.getMessage()).contains("EnableDynamicAgentLoading")) {
                throw new CliError("the target JVM refused the agent: " + cause.getMessage() + ". On JDK 21 and "
                        + "later start it with -XX:+EnableDynamicAgentLoading (or attach with -javaagent at start)");
            }
            if (cause.getClass().getSimpleName().equals("AttachOperationFailedException")) {
                throw new CliError(method + " failed in the target JVM (" + cause.getMessage() + "); a JVM that is "
                        + "still starting cannot run it yet: try again in a few seconds");
            }
            throw new CliError(method + " failed in the target JVM: " + cause);
        } catch (Exception e) {
            throw new CliError(method + " failed: " + e);
        }
    }
}

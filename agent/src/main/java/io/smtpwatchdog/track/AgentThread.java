package io.smtpwatchdog.track;

/**
 * A thread of the agent's own. Hooks ignore what these threads connect and read, so nothing the agent does (logging,
 * its self-test) can recurse into tracking; a close from one of them (a reap) is still seen, as it must be.
 */
public final class AgentThread extends Thread {
    public AgentThread(String name, Runnable work) {
        super(work, name);
        setDaemon(true);
    }

    static boolean isCurrent() {
        return Thread.currentThread() instanceof AgentThread;
    }
}

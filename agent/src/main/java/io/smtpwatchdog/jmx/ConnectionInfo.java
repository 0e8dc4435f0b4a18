package io.smtpwatchdog.jmx;

import io.smtpwatchdog.track.Conn;
import io.smtpwatchdog.track.Found;
import io.smtpwatchdog.track.Phase;

/** One row of the Watchdog's {@code Connections} table (an open-type composite in a console). */
public final class ConnectionInfo {
    private final long id;
    private final String destination;
    private final String remoteAddress;
    private final String state;
    private final long ageMillis;
    private final String phase;
    private final String waitingFor;
    private final long waitMillis;
    private final String hostThread;
    private final String openingStack;

    ConnectionInfo(Conn c) {
        this.id = c.id();
        this.destination = c.destinationName();
        this.remoteAddress = c.remoteAddress();
        this.state = c.stateName();
        this.ageMillis = c.ageMillis();
        this.phase = c.phase();
        this.waitingFor = c.waitingFor();
        this.waitMillis = c.waitMillis();
        this.hostThread = c.threadName();
        this.openingStack = c.openingStack();
    }

    /** A connection found blocked at attach or startup: its age is how long it has been seen blocked. */
    ConnectionInfo(Found f) {
        this.id = f.id();
        this.destination = f.destinationName();
        this.remoteAddress = f.remoteAddress();
        this.state = "found-blocked (at " + f.foundAt() + ")";
        this.ageMillis = f.blockedMillis();
        this.phase = Phase.GREETING.label;
        this.waitingFor = "greeting";
        this.waitMillis = f.blockedMillis();
        this.hostThread = f.threadName();
        this.openingStack = "";
    }

    public long getId() {
        return id;
    }

    public String getDestination() {
        return destination;
    }

    public String getRemoteAddress() {
        return remoteAddress;
    }

    public String getState() {
        return state;
    }

    public long getAgeMillis() {
        return ageMillis;
    }

    /** greeting, command, mail, rcpt, data, data-end, or idle (in session, owing nothing); empty once ended. */
    public String getPhase() {
        return phase;
    }

    /** What the client waits for: greeting, or the verb of the command whose reply it awaits. */
    public String getWaitingFor() {
        return waitingFor;
    }

    /** How long the current wait has lasted, in ms; 0 while idle. */
    public long getWaitMillis() {
        return waitMillis;
    }

    public String getHostThread() {
        return hostThread;
    }

    /** The stack that opened it, one frame a line; empty unless the agent runs with captureStacks=true. */
    public String getOpeningStack() {
        return openingStack;
    }
}

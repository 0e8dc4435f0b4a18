package io.smtpwatchdog.jmx;

import io.smtpwatchdog.track.Conn;
import io.smtpwatchdog.track.Found;

/** One row of the Watchdog's {@code Connections} table (an open-type composite in a console). */
public final class ConnectionInfo {
    private final long id;
    private final String destination;
    private final String remoteAddress;
    private final String state;
    private final long ageMillis;
    private final String hostThread;
    private final String openingStack;

    ConnectionInfo(Conn c) {
        this.id = c.id();
        this.destination = c.destinationName();
        this.remoteAddress = c.remoteAddress();
        this.state = c.stateName();
        this.ageMillis = c.ageMillis();
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

    public String getHostThread() {
        return hostThread;
    }

    /** The stack that opened it, one frame a line; empty unless the agent runs with captureStacks=true. */
    public String getOpeningStack() {
        return openingStack;
    }
}

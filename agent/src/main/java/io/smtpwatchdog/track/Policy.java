package io.smtpwatchdog.track;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the watchdog does, as it can change at runtime: which ports are SMTP, the greeting deadline, and whether
 * overdue connections are closed (enforce) or only reported (monitor).
 *
 * <p>The agent falls back to monitor mode on its own, with a reason, when its startup self-test cannot prove that it
 * sees greetings: it must never reap a session whose greeting it cannot see.
 */
public final class Policy {
    private final long[] ports = new long[1024];
    private volatile long bannerTimeoutNanos;
    private volatile boolean enforce;
    private volatile String forcedMonitorReason;
    private volatile boolean tlsGreetingsVisible;
    private volatile long slotGraceNanos = 2_000_000_000L;
    private volatile boolean captureStacks;
    /** Operators' per-destination greeting deadlines, overriding the global one. */
    private final ConcurrentHashMap<String, Long> timeouts = new ConcurrentHashMap<String, Long>();

    public Policy(int[] smtpPorts, long bannerTimeoutMillis, boolean enforce) {
        for (int p : smtpPorts) {
            ports[p >>> 6] |= 1L << p;
        }
        this.bannerTimeoutNanos = bannerTimeoutMillis * 1_000_000L;
        this.enforce = enforce;
    }

    /** True if {@code port} is one of the SMTP ports whose connections are tracked. */
    public boolean watches(int port) {
        return port > 0 && port < 65536 && (ports[port >>> 6] & (1L << port)) != 0;
    }

    public long bannerTimeoutNanos() {
        return bannerTimeoutNanos;
    }

    public long bannerTimeoutMillis() {
        return bannerTimeoutNanos / 1_000_000L;
    }

    public void bannerTimeoutMillis(long millis) {
        this.bannerTimeoutNanos = millis * 1_000_000L;
    }

    /** The greeting deadline for {@code destination}: its own if an operator set one, else the global one. */
    public long bannerTimeoutNanos(String destination) {
        Long own = timeouts.get(destination);
        return own != null ? own * 1_000_000L : bannerTimeoutNanos;
    }

    public void destinationBannerTimeoutMillis(String destination, long millis) {
        timeouts.put(destination, millis);
    }

    /** Removes {@code destination}'s own deadline; true if it had one. */
    public boolean clearDestinationBannerTimeout(String destination) {
        return timeouts.remove(destination) != null;
    }

    /** The per-destination deadlines in force, in milliseconds. */
    public Map<String, Long> destinationBannerTimeouts() {
        return new TreeMap<String, Long>(timeouts);
    }

    /** The mode asked for; see {@link #enforcing()} for the one in force. */
    public boolean enforceRequested() {
        return enforce;
    }

    public void enforce(boolean on) {
        this.enforce = on;
    }

    /** Overdue connections are closed only when enforce was asked for and the self-test found every hook. */
    public boolean enforcing() {
        return enforce && forcedMonitorReason == null;
    }

    /** Why the watchdog stays in monitor mode whatever was asked, or null. */
    public String forcedMonitorReason() {
        return forcedMonitorReason;
    }

    public void forceMonitor(String reason) {
        this.forcedMonitorReason = reason;
    }

    /** How long after a slot's socket ended the host may still release the slot itself. */
    public long slotGraceNanos() {
        return slotGraceNanos;
    }

    public void slotGraceMillis(long millis) {
        this.slotGraceNanos = millis * 1_000_000L;
    }

    /** Whether each connection remembers the stack that opened it (costs a stack walk per connect). */
    public boolean captureStacks() {
        return captureStacks;
    }

    public void captureStacks(boolean on) {
        this.captureStacks = on;
    }

    /** Whether the TLS hooks are in place; without them a TLS connection's greeting is invisible and never reaped. */
    public boolean tlsGreetingsVisible() {
        return tlsGreetingsVisible;
    }

    public void tlsGreetingsVisible(boolean visible) {
        this.tlsGreetingsVisible = visible;
    }
}

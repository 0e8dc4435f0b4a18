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
    private volatile boolean repliesVisible;
    private volatile boolean tlsRepliesVisible;
    private volatile boolean channelsVisible;
    private volatile long slotGraceNanos = 2_000_000_000L;
    private volatile boolean captureStacks;
    /** Operators' per-destination greeting deadlines, overriding the global one. */
    private final ConcurrentHashMap<String, Long> timeouts = new ConcurrentHashMap<String, Long>();
    /**
     * The reply deadlines after the greeting, by {@link Phase} ordinal (the greeting's slot unused); 0 is off. Copied
     * on every change, as are the per-destination arrays, so that the reaper reads a published array.
     */
    private volatile long[] replyTimeoutMillis = new long[Phase.values().length];
    /** Operators' per-destination reply deadlines: by destination, millis by phase ordinal, {@link #UNSET} if none. */
    private final ConcurrentHashMap<String, long[]> replyOverrides = new ConcurrentHashMap<String, long[]>();
    private static final long UNSET = -1;

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

    /**
     * The deadline for the reply {@code phase} waits for on a connection to {@code destination}, in nanoseconds: the
     * destination's own if an operator set one, else the global one; 0 when that deadline is off.
     */
    public long timeoutNanos(Phase phase, String destination) {
        if (phase == Phase.GREETING) {
            return bannerTimeoutNanos(destination);
        }
        long millis = replyTimeoutMillis[phase.ordinal()];
        if (!replyOverrides.isEmpty()) {
            long[] own = replyOverrides.get(destination);
            if (own != null && own[phase.ordinal()] != UNSET) {
                millis = own[phase.ordinal()];
            }
        }
        return millis * 1_000_000L;
    }

    /** The global deadline of {@code phase}, in milliseconds, 0 for off. */
    public long timeoutMillis(Phase phase) {
        return phase == Phase.GREETING ? bannerTimeoutMillis() : replyTimeoutMillis[phase.ordinal()];
    }

    /** Sets the global deadline of a reply phase (not the greeting's); 0 turns it off. */
    public void timeoutMillis(Phase phase, long millis) {
        if (phase == Phase.GREETING) {
            bannerTimeoutMillis(millis);
        } else {
            long[] next = replyTimeoutMillis.clone();
            next[phase.ordinal()] = millis;
            replyTimeoutMillis = next;
        }
    }

    /** Sets {@code destination}'s own deadline for {@code phase}; 0 turns it off for that destination. */
    public void destinationTimeoutMillis(String destination, Phase phase, long millis) {
        if (phase == Phase.GREETING) {
            destinationBannerTimeoutMillis(destination, millis);
            return;
        }
        synchronized (replyOverrides) { // operators' calls only; readers never lock
            long[] own = replyOverrides.get(destination);
            long[] next = own == null ? unset() : own.clone();
            next[phase.ordinal()] = millis;
            replyOverrides.put(destination, next);
        }
    }

    /** Removes {@code destination}'s own deadline for {@code phase}; true if it had one. */
    public boolean clearDestinationTimeout(String destination, Phase phase) {
        if (phase == Phase.GREETING) {
            return clearDestinationBannerTimeout(destination);
        }
        synchronized (replyOverrides) {
            long[] own = replyOverrides.get(destination);
            if (own == null || own[phase.ordinal()] == UNSET) {
                return false;
            }
            long[] next = own.clone();
            next[phase.ordinal()] = UNSET;
            replyOverrides.put(destination, next);
            return true;
        }
    }

    private static long[] unset() {
        long[] a = new long[Phase.values().length];
        java.util.Arrays.fill(a, UNSET);
        return a;
    }

    /** Every per-destination deadline in force, greeting ones included: {@code "<destination> <option>"} to millis. */
    public Map<String, Long> destinationTimeouts() {
        Map<String, Long> m = new TreeMap<String, Long>();
        for (Map.Entry<String, Long> e : timeouts.entrySet()) {
            m.put(e.getKey() + " " + Phase.GREETING.option, e.getValue());
        }
        for (Map.Entry<String, long[]> e : replyOverrides.entrySet()) {
            for (Phase p : Phase.values()) {
                long millis = e.getValue()[p.ordinal()];
                if (p != Phase.GREETING && millis != UNSET) {
                    m.put(e.getKey() + " " + p.option, millis);
                }
            }
        }
        return m;
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

    /**
     * Whether the write hook is proven: only then are commands seen, and replies awaited after the greeting. Until the
     * self-test has run, no connection starts a session watch.
     */
    public boolean repliesVisible() {
        return repliesVisible;
    }

    public void repliesVisible(boolean visible) {
        this.repliesVisible = visible;
    }

    /** Whether a session can be followed into TLS after STARTTLS: the TLS read, layer and write hooks are in place. */
    public boolean tlsRepliesVisible() {
        return tlsRepliesVisible;
    }

    public void tlsRepliesVisible(boolean visible) {
        this.tlsRepliesVisible = visible;
    }

    /** Whether the TLS hooks are in place; without them a TLS connection's greeting is invisible and never reaped. */
    public boolean tlsGreetingsVisible() {
        return tlsGreetingsVisible;
    }

    public void tlsGreetingsVisible(boolean visible) {
        this.tlsGreetingsVisible = visible;
    }

    /**
     * Whether {@code SocketChannel} connections are tracked: only once the self-test saw a channel's connect and
     * close hooks fire, since a channel whose close went unseen would stay counted open.
     */
    public boolean channelsVisible() {
        return channelsVisible;
    }

    public void channelsVisible(boolean visible) {
        this.channelsVisible = visible;
    }
}

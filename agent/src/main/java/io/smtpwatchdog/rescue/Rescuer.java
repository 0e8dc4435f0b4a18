package io.smtpwatchdog.rescue;

import io.smtpwatchdog.config.Declaration;
import io.smtpwatchdog.config.Durations;
import io.smtpwatchdog.track.AgentThread;
import io.smtpwatchdog.track.Conn;
import io.smtpwatchdog.track.Found;
import io.smtpwatchdog.track.Policy;
import io.smtpwatchdog.track.ReleaseWatch;
import io.smtpwatchdog.track.Tracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Finds the client connections the hooks never saw, and frees the host threads stuck reading their greeting.
 *
 * <p>At attach, a mail server may already have every delivery thread blocked on a host that never greets; at
 * startup, the first connections may be made before the hooks are live. Neither was seen connecting, and a thread
 * blocked in a read never re-enters hooked code. For a while after the agent starts, and then for as long as what it
 * found is still blocked, this looks every second for host threads blocked reading a socket (from the kernel's view of
 * the process, and the JDK's virtual-thread pollers), finds their sockets in the JDK's Cleaner, and applies one rule:
 * an SMTP connection by the agent's own rules whose reader stays in the same read, with nothing to read, for
 * {@code bannerTimeout} since it was first seen is closed through the socket's own close, exactly as a reap would.
 */
public final class Rescuer implements Runnable, ReleaseWatch {
    private static final Logger LOG = LoggerFactory.getLogger("smtp-watchdog");
    /**
     * How often it looks: every second. The system property {@code io.smtpwatchdog.rescue.lookMillis} (5 to 1000)
     * makes it look more often, for the collectors test, which must give the collector every chance to reclaim a
     * socket while the agent reads the Cleaner; it is not an option (outside the {@code smtpwatchdog.} prefix).
     */
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(
            Math.max(5, Math.min(1000, Long.getLong("io.smtpwatchdog.rescue.lookMillis", 1000L))));
    /** How long new blocked reads are looked for after the start; what was found is watched until it ends. */
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final Tracker tracker;
    private final Policy policy;
    private final String foundAt;
    private final CleanerList cleaner;
    private final SocketImpls impls;
    private final BlockedReads blocked;
    private final VirtualReads virtual;
    private final Frames frames;
    private final boolean slotReleaseDeclared;
    private final List<Suspect> suspects = new ArrayList<Suspect>();
    /** Sockets found blocked that are not SMTP connections, so their referents are not read again. */
    private final Map<Object, Boolean> ignored = new WeakHashMap<Object, Boolean>();
    /** Rescued threads, by id, until their slot grace is over. */
    private final Map<Long, Rescued> rescued = new ConcurrentHashMap<Long, Rescued>();
    private final long startNanos = System.nanoTime();

    private Rescuer(Tracker tracker, String foundAt, CleanerList cleaner, SocketImpls impls, BlockedReads blocked,
                    VirtualReads virtual, List<Declaration> declarations) {
        this.tracker = tracker;
        this.policy = tracker.policy();
        this.foundAt = foundAt;
        this.cleaner = cleaner;
        this.impls = impls;
        this.blocked = blocked;
        this.virtual = virtual;
        this.frames = new Frames(declarations);
        boolean release = false;
        for (Declaration d : declarations) {
            release |= d.kind() == Declaration.Kind.SLOT_RELEASE;
        }
        this.slotReleaseDeclared = release;
    }

    /** A rescued thread whose declared slot release the agent waits to see. */
    private static final class Rescued {
        final Found found;
        final long atNanos = System.nanoTime();
        volatile boolean released;

        Rescued(Found found) {
            this.found = found;
        }
    }

    /**
     * Starts looking, on a thread of the agent's own, once the hooks are live. {@code foundAt} says when
     * ({@code attach} or {@code startup}). When this JVM's layout is not one the agent knows, says so in one line and
     * touches nothing. Never throws.
     */
    public static void start(Instrumentation inst, Tracker tracker, List<Declaration> declarations, String foundAt) {
        try {
            String why = JdkAccess.open(inst);
            if (why != null) {
                LOG.warn("connections opened before the agent was live cannot be found on this JVM: {}", why);
                return;
            }
            tracker.inputEnder(ChannelInputs.forThisJdk());
            if (legacySocketImpl()) {
                LOG.warn("connections opened before the agent was live cannot be found on this JVM: it runs the "
                        + "legacy socket impl (-Djdk.net.usePlainSocketImpl), which the agent does not read; nothing "
                        + "was touched");
                return;
            }
            BlockedReads blocked = BlockedReads.forThisMachine();
            if (blocked == null) {
                LOG.warn("connections opened before the agent was live cannot be found here: {}",
                        BlockedReads.whyNot());
                return;
            }
            CleanerList cleaner = CleanerList.ofCommonCleaner();
            SocketImpls impls = SocketImpls.forThisJdk();
            Rescuer r = new Rescuer(tracker, foundAt, cleaner, impls, blocked, VirtualReads.forThisJdk(),
                    declarations);
            tracker.slots().releaseWatch(r);
            LOG.debug("looking for connections opened before the agent was live ({}; {})", foundAt, cleaner.layout());
            new AgentThread("smtp-watchdog-rescue", r).start();
        } catch (IllegalStateException e) {
            LOG.warn("connections opened before the agent was live cannot be found on this JVM: {}; nothing was "
                    + "touched", e.getMessage());
        } catch (Throwable t) {
            LOG.warn("connections opened before the agent was live cannot be found: {}", t.toString());
        }
    }

    /** JDK 13-17 can be told to use the old PlainSocketImpl, which keeps no Cleaner entry of its own. */
    private static boolean legacySocketImpl() {
        String v = System.getProperty("jdk.net.usePlainSocketImpl");
        if (v == null || !(v.isEmpty() || v.equalsIgnoreCase("true"))) {
            return false;
        }
        try {
            Class.forName("java.net.PlainSocketImpl", false, null);
            return true; // JDK 13-17: the property is obeyed
        } catch (ClassNotFoundException gone) {
            return false; // JDK 18+: removed, the property is ignored
        }
    }

    @Override
    public void run() {
        try {
            while (true) {
                long now = System.nanoTime();
                boolean looking = now - startNanos < WINDOW_NANOS;
                sweep(looking);
                long wait = SWEEP_NANOS;
                for (Suspect s : suspects) {
                    long blocked = System.nanoTime() - s.found.firstSeenNanos();
                    wait = Math.min(wait, Math.max(0, dueNanos(s.found) - blocked));
                }
                checkSlots();
                if (!looking && suspects.isEmpty() && rescued.isEmpty()) {
                    break;
                }
                LockSupport.parkNanos(this, Math.max(wait, TimeUnit.MILLISECONDS.toNanos(20)));
            }
            LOG.debug("stopped looking for connections opened before the agent was live");
        } catch (Throwable t) {
            LOG.error("stopped looking for connections opened before the agent was live; the hooks go on", t);
        } finally {
            tracker.slots().releaseWatch(null);
            for (Suspect s : suspects) {
                tracker.lost(s.found);
            }
        }
    }

    private long dueNanos(Found f) {
        return policy.bannerTimeoutNanos(f.destinationName());
    }

    private void sweep(boolean looking) throws Exception {
        Map<Integer, BlockedReads.Wait> waits = blocked.sample();
        Map<Integer, Thread> vwaits = virtual.sample();
        recheck(waits, vwaits);
        if (looking && (hasNew(waits.keySet()) || hasNew(vwaits.keySet()))) {
            discover(waits, vwaits);
        }
    }

    private boolean hasNew(Iterable<Integer> fds) {
        for (Integer fd : fds) {
            boolean known = false;
            for (Suspect s : suspects) {
                known |= s.fd == fd;
            }
            if (!known) {
                return true;
            }
        }
        return false;
    }

    /** Finds the sockets of blocked readers that are neither tracked nor known yet. */
    private void discover(final Map<Integer, BlockedReads.Wait> waits, final Map<Integer, Thread> vwaits)
            throws Exception {
        Map<Object, Boolean> tracked = null;
        for (CleanerList.Entry e : cleaner.sockets()) {
            final int fd = cleaner.number(e.fd);
            final BlockedReads.Wait w = waits.get(fd);
            final Thread vt = w == null ? vwaits.get(fd) : null;
            if (fd < 0 || (w == null && vt == null) || ignored.containsKey(e.cleanable) || known(e.cleanable)) {
                continue;
            }
            Object impl = cleaner.socketOf(e, new CleanerList.Proof() {
                @Override
                public boolean holds(int now) {
                    if (now != fd) {
                        return false;
                    }
                    if (w != null) {
                        BlockedReads.Wait again = blocked.now(w.tid);
                        return again != null && again.fd == fd;
                    }
                    return virtual.waits(fd, vt);
                }
            });
            if (impl == null) {
                continue;
            }
            if (tracked == null) {
                tracked = trackedImpls();
            }
            if (tracked.containsKey(impl)) {
                ignored.put(e.cleanable, Boolean.TRUE); // the hooks see it: the reaper's, not ours
                continue;
            }
            consider(e.cleanable, impl, fd, w, vt);
        }
    }

    private boolean known(Object cleanable) {
        for (Suspect s : suspects) {
            if (s.cleanable.get() == cleanable) {
                return true;
            }
        }
        return false;
    }

    private Map<Object, Boolean> trackedImpls() {
        Map<Object, Boolean> m = new IdentityHashMap<Object, Boolean>();
        for (Conn c : tracker.views().live()) {
            Socket s = c.socket();
            Object impl = s == null ? null : impls.implOf(s);
            if (impl != null) {
                m.put(impl, Boolean.TRUE);
            }
        }
        return m;
    }

    /** Applies part (a) of the rule: is this an SMTP connection by the agent's own rules? */
    private void consider(Object cleanable, Object impl, int fd, BlockedReads.Wait w, Thread virtualReader) {
        Thread reader = impls.reader(impl);
        InetSocketAddress remote = impls.remote(impl);
        if (reader == null || remote == null || reader instanceof AgentThread
                || (virtualReader != null && reader != virtualReader)) {
            return; // not a connected client socket with a reader inside it: look again next time
        }
        StackTraceElement[] stack = reader.getStackTrace();
        Frames.Wait phase = frames.of(stack);
        String why;
        if (phase == Frames.Wait.SESSION) {
            why = null; // a reply in session, not a greeting
        } else if (phase == Frames.Wait.GREETING) {
            why = "its thread is in a mail library's connect";
        } else if (phase == Frames.Wait.DECLARED) {
            why = "its thread is in a declared delivery";
        } else if (policy.watches(remote.getPort())) {
            why = "remote port " + remote.getPort() + " is in ports";
        } else {
            why = null;
        }
        if (why == null) {
            ignored.put(cleanable, Boolean.TRUE);
            return;
        }
        String host = hostOf(remote);
        Found f = tracker.found(host, host + ":" + remote.getPort(), reader.getName(), foundAt);
        suspects.add(new Suspect(f, cleanable, impl, reader, fd, w));
        LOG.warn("found SMTP connection #{} to {} ({}), opened before the agent was live ({}): host thread '{}' is "
                        + "blocked reading it ({}); it is rescued if it stays in that read with nothing to read for "
                        + "bannerTimeout {}; it waits in {}", f.id(), f.destinationName(), f.remoteAddress(), foundAt,
                reader.getName(), why, Durations.format(dueNanos(f) / 1_000_000L), Frames.hostFrame(stack));
    }

    /** The name the host connected by, if it used one, else the address; never a reverse look-up. */
    private static String hostOf(InetSocketAddress remote) {
        String s = String.valueOf(remote.getAddress());
        int slash = s.indexOf('/');
        String name = slash > 0 ? s.substring(0, slash) : "";
        return name.isEmpty() ? remote.getAddress().getHostAddress() : name;
    }

    /** Applies part (b) of the rule to every suspect: still the same read? Overdue? */
    private void recheck(Map<Integer, BlockedReads.Wait> waits, Map<Integer, Thread> vwaits) {
        for (Iterator<Suspect> it = suspects.iterator(); it.hasNext(); ) {
            Suspect s = it.next();
            Object impl = s.impl.get();
            Thread reader = s.reader.get();
            String left = stillBlocked(s, impl, reader, waits, vwaits);
            if (left != null) {
                it.remove();
                tracker.lost(s.found);
                LOG.info("found connection #{} to {} ({}) is no longer stuck after {} ms: {}; not touched",
                        s.found.id(), s.found.destinationName(), s.found.remoteAddress(), s.found.blockedMillis(), left);
                continue;
            }
            long blockedNanos = System.nanoTime() - s.found.firstSeenNanos();
            if (blockedNanos < dueNanos(s.found)) {
                continue;
            }
            if (rescue(s, impl, reader)) {
                it.remove();
            }
        }
    }

    /** Null while {@code s}'s reader is in the same read with nothing to read, else what changed. */
    private String stillBlocked(Suspect s, Object impl, Thread reader, Map<Integer, BlockedReads.Wait> waits,
                                Map<Integer, Thread> vwaits) {
        if (impl == null || reader == null || !impls.open(impl)) {
            return "its socket was closed";
        }
        if (s.wait != null ? !s.wait.sameAs(waits.get(s.fd)) : vwaits.get(s.fd) != reader) {
            return "its read ended";
        }
        if (impls.reader(impl) != reader) {
            return "its read ended";
        }
        int n = impls.available(impl);
        if (n != 0) {
            return n > 0 ? n + " bytes arrived" : "its socket was closed";
        }
        return null;
    }

    /** Returns true once it is done with {@code s}: rescued, or reported in monitor mode. */
    private boolean rescue(Suspect s, Object impl, Thread reader) {
        Found f = s.found;
        String timeout = Durations.format(dueNanos(s.found) / 1_000_000L);
        if (!policy.enforcing()) {
            if (!s.reported) {
                s.reported = true;
                String forced = policy.forcedMonitorReason();
                LOG.warn("would rescue SMTP connection #{} to {} ({}) found at {}: host thread '{}' blocked in the "
                                + "same read for {} ms with nothing to read (bannerTimeout {}); not closed: {}", f.id(),
                        f.destinationName(), f.remoteAddress(), f.foundAt(), f.threadName(), f.blockedMillis(), timeout,
                        forced != null ? "monitor mode forced: " + forced : "mode=monitor");
                tracker.events().rescued(f, true);
            }
            return false; // watched on: switching to enforce at runtime rescues it
        }
        LOG.warn("rescued SMTP connection #{} to {} ({}) found at {}: host thread '{}' was blocked in the same read "
                        + "for {} ms with nothing to read (bannerTimeout {}); it gets a SocketException", f.id(),
                f.destinationName(), f.remoteAddress(), f.foundAt(), f.threadName(), f.blockedMillis(), timeout);
        if (slotReleaseDeclared) {
            rescued.put(reader.getId(), new Rescued(f));
        }
        try {
            impls.abort(impl);
        } catch (Throwable t) {
            LOG.warn("closing found connection #{} failed: {}", f.id(), t.toString());
        }
        tracker.rescued(f);
        tracker.events().rescued(f, false);
        return true;
    }

    /** Tells the operator about each rescued thread that gave back no slot within the grace period. */
    private void checkSlots() {
        long grace = policy.slotGraceNanos();
        for (Iterator<Map.Entry<Long, Rescued>> it = rescued.entrySet().iterator(); it.hasNext(); ) {
            Rescued r = it.next().getValue();
            if (r.released) {
                it.remove();
            } else if (System.nanoTime() - r.atNanos >= grace) {
                it.remove();
                LOG.warn("host thread '{}' released no slot within slotGrace {} after connection #{} to {} was "
                                + "rescued: a per-domain slot it took before the agent was live may stay taken, and the "
                                + "agent never saw it taken; if that domain stays stuck, give it back with: java -jar "
                                + "smtp-watchdog-agent.jar release-slot {} <domain> [count]", r.found.threadName(),
                        Durations.format(grace / 1_000_000L), r.found.id(), r.found.destinationName(), pid());
            }
        }
    }

    @Override
    public void released(long threadId, String domain) {
        Rescued r = rescued.get(threadId);
        if (r != null) {
            r.released = true;
        }
    }

    private static String pid() {
        try {
            return new File("/proc/self").getCanonicalFile().getName();
        } catch (Exception e) {
            return "<pid>";
        }
    }
}

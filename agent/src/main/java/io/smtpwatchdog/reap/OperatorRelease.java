package io.smtpwatchdog.reap;

import io.smtpwatchdog.config.Declaration;
import io.smtpwatchdog.track.AgentThread;
import io.smtpwatchdog.track.Attribution;
import io.smtpwatchdog.track.SlotLedger;
import io.smtpwatchdog.track.SlotOwners;
import io.smtpwatchdog.track.Tracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An operator's {@code releaseSlot(domain, count)}: calls the declared {@code slotRelease} {@code count} times for
 * {@code domain}, on the one object the host has used for its declared slot methods since the agent arrived.
 *
 * <p>It is for slots the agent never saw taken (taken before an attach, or by a thread the host rescued by other
 * means): the agent gives back the ones it saw by itself. So it touches none of the agent's slot bookkeeping:
 * {@code SlotsHeld} and {@code SlotsRecoveredTotal} stay as they were (they count only slots the agent saw, and can
 * never go negative because of this), and a slot the agent tracks is still given back by the agent if the host
 * leaks it. The calls run on a thread of the agent's own, so the release hook lets them through as the agent's,
 * rather than matching them to a slot it tracks or skipping them as a late release of a recovered one. The caller
 * (a JMX thread) waits for them at most {@link #CALL_WAIT_MILLIS}: a host method that blocks cannot hang the
 * operator's console.
 *
 * <p>Refusals are {@link IllegalArgumentException} (bad arguments) or {@link IllegalStateException} (nothing to call,
 * or the choice would be a guess), each with one sentence for the operator; every call is logged.
 */
public final class OperatorRelease {
    private static final Logger LOG = LoggerFactory.getLogger("smtp-watchdog");
    /** Most slots one call may release: a typo of 100000 should not drive a counter through the floor. */
    public static final int MAX_COUNT = 1000;
    /** Longest domain accepted (a DNS name is at most 253 characters). */
    static final int MAX_DOMAIN_LENGTH = 255;
    /** How long the operator's call waits for the host's release method. */
    static final long CALL_WAIT_MILLIS = 10_000;

    private final Attribution attribution;
    /** Whose owners it chooses among; the ledger's counters it leaves alone. */
    private final SlotLedger slots;
    /** Its own: the reaper's is for the reaper's thread only. Guarded by itself. */
    private final Releaser releaser;

    public OperatorRelease(Tracker tracker) {
        this.attribution = tracker.attribution();
        this.slots = tracker.slots();
        this.releaser = new Releaser(attribution.declarations());
    }

    /**
     * Releases {@code count} slots of {@code domain}; returns what was called, as one line. The domain is passed to
     * the host's method trimmed and otherwise as given: it is the host's key, whose case the agent cannot know.
     */
    public String release(String domain, int count) {
        String call = "releaseSlot(" + (domain == null ? "null" : "'" + shown(domain) + "'") + ", " + count + ")";
        try {
            String d = checkDomain(domain);
            checkCount(count);
            String done = releaseChecked(d, count);
            LOG.warn("operator action {}: {}; the agent's slot counters are unchanged", call, done);
            return done;
        } catch (RuntimeException refused) {
            LOG.info("operator action {} refused: {}", call, refused.getMessage());
            throw refused;
        }
    }

    /** The domain as passed on, or why it is refused. */
    static String checkDomain(String domain) {
        String d = domain == null ? "" : domain.trim();
        if (d.isEmpty()) {
            throw new IllegalArgumentException("domain must be the mail domain whose slots to release, not empty");
        }
        if (d.length() > MAX_DOMAIN_LENGTH) {
            throw new IllegalArgumentException("domain is at most " + MAX_DOMAIN_LENGTH + " characters, not "
                    + d.length());
        }
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("domain must be one mail domain, without spaces or control "
                        + "characters: '" + d.replaceAll("\\p{Cntrl}", "?") + "'");
            }
        }
        return d;
    }

    static void checkCount(int count) {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count is how many slots to release, 1 to " + MAX_COUNT + ", not "
                    + count);
        }
    }

    private String releaseChecked(String domain, int count) {
        if (!declaresRelease()) {
            throw new IllegalStateException("no slotRelease is declared, so the agent knows no method that gives a "
                    + "slot back; declare the host's release method with the option slotRelease when the agent starts");
        }
        SlotOwners.Choice choice = slots.owners().choose();
        Object owner = choice.owner();
        if (owner == null) {
            throw new IllegalStateException(choice.refusal());
        }
        Releaser.Target target;
        synchronized (releaser) {
            target = releaser.target(owner, false);
        }
        if (target == null) {
            throw new IllegalStateException("no slotRelease is declared for " + SlotOwners.describe(owner)
                    + ", the object the host used for its declared slot methods, or for its supertypes");
        }
        return callOnAgentThread(target, owner, domain, count);
    }

    private boolean declaresRelease() {
        for (Declaration d : attribution.declarations()) {
            if (d.kind() == Declaration.Kind.SLOT_RELEASE) {
                return true;
            }
        }
        return false;
    }

    private static String callOnAgentThread(final Releaser.Target target, final Object owner, final String domain,
                                            final int count) {
        final AtomicInteger done = new AtomicInteger();
        final AtomicReference<Throwable> failed = new AtomicReference<Throwable>();
        AgentThread worker = new AgentThread("smtp-watchdog-operator", new Runnable() {
            @Override
            public void run() {
                try {
                    while (done.get() < count) {
                        target.call(owner, domain);
                        done.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            }
        });
        worker.start();
        try {
            worker.join(CALL_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String what = target.declaration.text();
        Throwable t = failed.get();
        if (t != null) {
            throw new IllegalStateException(what + " threw " + t + " on call " + (done.get() + 1) + " of " + count
                    + " for '" + domain + "'; " + released(done.get()) + " before it");
        }
        if (worker.isAlive()) {
            throw new IllegalStateException(what + " had not returned after " + CALL_WAIT_MILLIS / 1000 + " s, on call "
                    + (done.get() + 1) + " of " + count + " for '" + domain + "'; " + released(done.get())
                    + " so far, and the rest go on in the background on thread smtp-watchdog-operator");
        }
        return "called " + what + " " + count + (count == 1 ? " time" : " times") + " with '" + domain + "' on "
                + SlotOwners.describe(owner);
    }

    /** At most a line's worth of what an operator typed: a JMX caller may send anything. */
    private static String shown(String text) {
        return text.length() <= MAX_DOMAIN_LENGTH ? text : text.substring(0, MAX_DOMAIN_LENGTH) + "...";
    }

    private static String released(int n) {
        return n == 0 ? "no slot was released" : n == 1 ? "1 slot was released" : n + " slots were released";
    }
}

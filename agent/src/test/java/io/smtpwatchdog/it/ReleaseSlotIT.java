package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.SlotHost;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code release-slot}: a host leaks slots of its own limiter before the agent is attached, so the agent never saw
 * them taken; the operator gives back exactly as many as asked, on the one limiter the host has used, through the
 * real CLI, JMX and the host's declared release method. Everything it refuses is one line and exit code 2.
 */
class ReleaseSlotIT {
    private static final Duration CHILD = Duration.ofSeconds(90);
    private static final String LIMITER = SlotHost.Limiter.class.getName();
    private static final String ACQUIRE = "slotAcquire=" + LIMITER + "#acquire(java.lang.String)@0";
    private static final String RELEASE = "slotRelease=" + LIMITER + "#release(java.lang.String)@0";

    private final AtomicInteger tags = new AtomicInteger();

    /** Sends one command to the {@link SlotHost} and returns its answer. */
    private String ask(ChildJvm c, String command) throws Exception {
        String tag = "t" + tags.incrementAndGet();
        c.tell(tag + " " + command);
        return c.awaitOut("^" + tag + " (.*)", CHILD).group(1);
    }

    private int count(ChildJvm c, String domain) throws Exception {
        String answer = ask(c, "count " + domain);
        assertTrue(answer.startsWith("COUNT "), answer);
        return Integer.parseInt(answer.substring("COUNT ".length()));
    }

    private Map<String, Long> totals(ChildJvm c) throws Exception {
        return Counters.parse(ask(c, "totals"));
    }

    /** A refusal: exit code 2, nothing on stdout, one line on stderr containing {@code what}. */
    static void refused(String[] cli, String what) {
        assertEquals("2", cli[0], cli[2]);
        assertEquals("", cli[1], "nothing on stdout");
        assertEquals(1, cli[2].lines().count(), "one line: " + cli[2]);
        assertTrue(cli[2].startsWith("smtp-watchdog: ") && cli[2].contains(what), cli[2]);
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void givesBackSlotsTheAgentNeverSawAndRefusesWhatWouldBeAGuess(Path jdk) throws Exception {
        try (ChildJvm c = ChildJvm.on(jdk).noAgent().jvm("-XX:+EnableDynamicAgentLoading").run(SlotHost.class)) {
            c.awaitOut("^READY", CHILD);
            String pid = String.valueOf(c.pid());
            for (int i = 0; i < 3; i++) {
                ask(c, "acquire leak.example"); // leaked before the agent: it never sees these taken
            }
            String[] attached = CliIT.cli(jdk, "attach", pid, ACQUIRE + "," + RELEASE);
            assertEquals("0", attached[0], attached[2]);

            refused(CliIT.cli(jdk, "release-slot", pid, "leak.example"),
                    "has not called its declared slotAcquire or slotRelease since the agent started");
            assertEquals(3, count(c, "leak.example"), "a refusal calls nothing");

            ask(c, "acquire leak.example"); // the agent sees this one taken, and so learns the limiter
            assertEquals(4, count(c, "leak.example"));
            assertEquals(1L, totals(c).get("slotsHeld"));

            String[] released = CliIT.cli(jdk, "release-slot", pid, "leak.example", "2");
            assertEquals("0", released[0], released[2]);
            assertEquals("", released[2]);
            assertEquals(1, released[1].lines().count(), released[1]);
            assertTrue(released[1].startsWith("released 2 slots of leak.example in process " + pid + ": called "
                    + LIMITER + "#release(java.lang.String)@0 2 times with 'leak.example' on " + LIMITER + "@"),
                    released[1]);
            assertEquals(4 - 2, count(c, "leak.example"), "the host's own count dropped by exactly 2");
            c.awaitErr("smtp-watchdog WARN .*operator action releaseSlot\\('leak\\.example', 2\\): called ", CHILD);
            Map<String, Long> t = totals(c);
            assertEquals(1L, t.get("slotsHeld"), "the slot the agent saw taken is still held, not taken by the "
                    + "operator's release as if the host had released it: " + t);
            assertEquals(0L, t.get("slotsRecovered"));

            ask(c, "release leak.example"); // the host gives back the slot the agent saw
            assertEquals(0L, totals(c).get("slotsHeld"), "matched to the slot the agent saw, never below zero");
            assertEquals(1, count(c, "leak.example"), "one leaked slot is left, as the operator chose");

            for (String bad : new String[] {"0", "1001", "abc"}) {
                refused(CliIT.cli(jdk, "release-slot", pid, "leak.example", bad),
                        "count is how many slots to release, a number from 1 to 1000, not '" + bad + "'");
            }
            refused(CliIT.cli(jdk, "release-slot", pid, " ", "1"), "the mail domain");
            refused(CliIT.cli(jdk, "release-slot", pid, "leak example", "1"), "without spaces");

            ask(c, "acquire-other other.example"); // a second limiter: which one leaked is now a guess
            refused(CliIT.cli(jdk, "release-slot", pid, "leak.example"), "would be a guess");
            assertEquals(1, count(c, "leak.example"), "nothing was called on a guess");
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void withoutADeclaredSlotReleaseItIsRefused(Path jdk) throws Exception {
        try (ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=1m," + ACQUIRE).run(SlotHost.class)) {
            c.awaitOut("^READY", CHILD);
            c.awaitErr("smtp-watchdog active in", CHILD);
            ask(c, "acquire a.example");
            refused(CliIT.cli(jdk, "release-slot", String.valueOf(c.pid()), "a.example"),
                    "no slotRelease is declared");
            assertEquals(1, count(c, "a.example"));
        }
    }
}

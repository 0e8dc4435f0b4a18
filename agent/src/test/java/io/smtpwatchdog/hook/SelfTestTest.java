package io.smtpwatchdog.hook;

import io.smtpwatchdog.track.Policy;
import io.smtpwatchdog.track.Tracker;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * This JVM runs without the agent, so the hooks really are absent: the self-test must say so for each of them,
 * which is what keeps the watchdog in monitor mode.
 */
class SelfTestTest {
    @Test
    void withoutHooksEveryEssentialHookIsReportedMissing() {
        Policy policy = new Policy(new int[] {25}, 1000, true);
        Tracker tracker = new Tracker(policy, 10);
        List<String> missing = SelfTest.run(tracker, new Hooks(policy));
        assertEquals(3, missing.size(), missing.toString());
        assertTrue(missing.get(0).contains("connect hook did not fire"), missing.toString());
        assertTrue(missing.get(1).contains("close hook did not fire"), missing.toString());
        assertTrue(missing.get(2).contains("read hook did not fire"), missing.toString());
        assertEquals(0, tracker.probeSeen());
    }
}

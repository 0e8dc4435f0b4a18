package io.smtpwatchdog.jmx;

import io.smtpwatchdog.config.Durations;
import io.smtpwatchdog.track.Phase;
import io.smtpwatchdog.track.Policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reply deadlines as operators read and write them over JMX: by option name, as durations or {@code off}. Every
 * argument is checked before anything changes, and a bad one is named with the form it must take.
 */
final class Timeouts {
    private static final long MAX_MILLIS = 24L * 60 * 60 * 1000;

    private Timeouts() {
    }

    /** The deadlines in force for {@code destination} (null: the global ones), option to duration or off. */
    static Map<String, String> inForce(Policy policy, String destination) {
        Map<String, String> m = new LinkedHashMap<String, String>();
        for (Phase p : Phase.values()) {
            if (p == Phase.GREETING) {
                continue;
            }
            long nanos = destination == null ? policy.timeoutMillis(p) * 1_000_000L
                    : policy.timeoutNanos(p, destination);
            m.put(p.option, text(nanos / 1_000_000L));
        }
        return m;
    }

    static String text(long millis) {
        return millis == 0 ? "off" : Durations.format(millis);
    }

    /** The phase of a reply option; {@code bannerTimeout} too when {@code greetingToo}. */
    static Phase phase(String option, boolean greetingToo) {
        Phase p = option == null ? null : Phase.byOption(option.trim());
        if (p == null || (p == Phase.GREETING && !greetingToo)) {
            throw new IllegalArgumentException("option must be one of " + (greetingToo ? Phase.options()
                    : Phase.options().replace(Phase.GREETING.option + ", ", "")) + ", not '" + option + "'");
        }
        return p;
    }

    /** A duration of 1 ms to 24 h, or {@code off} (0) where {@code phase} allows it: a greeting deadline is never off. */
    static long millis(String duration, Phase phase) {
        String text = duration == null ? "" : duration.trim();
        if (text.equalsIgnoreCase("off") && phase != Phase.GREETING) {
            return 0;
        }
        long millis;
        try {
            millis = Durations.parseMillis(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(phase.option + ": " + e.getMessage()
                    + (phase == Phase.GREETING ? "" : ", or off"));
        }
        if (millis < 1 || millis > MAX_MILLIS) {
            throw new IllegalArgumentException(phase.option + " is 1ms to 24h" + (phase == Phase.GREETING ? ""
                    : " or off") + ", not " + text);
        }
        return millis;
    }
}

package io.smtpwatchdog.demo.outbound;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one delivery attempt achieved, recipient by recipient.
 *
 * @param outcomes the outcome per recipient mailbox
 * @param detail   the reply or error that explains the last thing that went wrong, for the log
 */
public record Attempt(Map<String, Outcome> outcomes, String detail) {
    /** The fate of one recipient in one attempt. */
    public enum Outcome {
        /** The next hop took responsibility (250 after the data). */
        DELIVERED,
        /** A temporary failure (4xx, timeout, connection trouble): try again later. */
        DEFERRED,
        /** A permanent failure (5xx): do not try again. */
        REJECTED
    }

    public Attempt {
        outcomes = Map.copyOf(outcomes);
    }

    /** The same outcome for every recipient. */
    static Attempt all(List<String> recipients, Outcome outcome, String detail) {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (String r : recipients) {
            outcomes.put(r, outcome);
        }
        return new Attempt(outcomes, detail);
    }
}

package io.smtpwatchdog.it.child;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A host with its own per-domain slot counter, steered one command per stdin line, so a test can leak slots before
 * or after the agent arrives and read the host's own count after an operator's {@code release-slot}. Each line is
 * {@code <tag> <command> [domain]}; each answer is one stdout line starting with the tag:
 * <ul>
 *   <li>{@code acquire D} / {@code release D}: the declared methods of the main limiter ({@code <tag> OK});</li>
 *   <li>{@code acquire-other D}: a second limiter of the same class ({@code <tag> OK});</li>
 *   <li>{@code count D}: the main limiter's count for D ({@code <tag> COUNT n});</li>
 *   <li>{@code totals}: the agent's counters ({@code <tag> TOTALS {...}}).</li>
 * </ul>
 * Prints {@code READY} first, and exits when stdin ends.
 */
public final class SlotHost {
    /** The host's counter; declared to the agent as slotAcquire / slotRelease. No limit: only the count matters. */
    public static final class Limiter {
        private final Map<String, Integer> inUse = new HashMap<>();

        public synchronized boolean acquire(String domain) {
            inUse.merge(domain, 1, Integer::sum);
            return true;
        }

        public synchronized void release(String domain) {
            inUse.merge(domain, -1, Integer::sum);
        }

        synchronized int count(String domain) {
            return inUse.getOrDefault(domain, 0);
        }
    }

    public static void main(String[] a) throws Exception {
        Limiter limiter = new Limiter();
        Limiter other = new Limiter();
        System.out.println("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.trim().split(" ");
            String tag = w[0];
            String answer;
            switch (w[1]) {
                case "acquire":
                    limiter.acquire(w[2]);
                    answer = "OK";
                    break;
                case "release":
                    limiter.release(w[2]);
                    answer = "OK";
                    break;
                case "acquire-other":
                    other.acquire(w[2]);
                    answer = "OK";
                    break;
                case "count":
                    answer = "COUNT " + limiter.count(w[2]);
                    break;
                case "totals":
                    answer = "TOTALS " + AgentView.totals();
                    break;
                default:
                    answer = "UNKNOWN " + line;
            }
            System.out.println(tag + " " + answer);
        }
    }
}

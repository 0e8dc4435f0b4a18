package io.smtpwatchdog.it;

import io.smtpwatchdog.it.SessionPeer.Stall;
import org.junit.jupiter.params.provider.Arguments;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer that stalls after the greeting, at each phase of a session, and what the agent must then do to a real mail
 * library's connection: reap it near the phase's deadline, say which reply it waited for, count it under its phase.
 * Every reply deadline is 2 s, so the phase counter, not the deadline, tells which wait was judged.
 */
final class ReplyStalls {
    /** Every reply deadline short; the greeting's long, so that only a reply wait can be reaped. */
    static final String AGENT = "bannerTimeout=20s,commandTimeout=2s,mailTimeout=2s,rcptTimeout=2s,dataTimeout=2s,"
            + "dataEndTimeout=2s";
    static final Duration CHILD = Duration.ofSeconds(90);

    private ReplyStalls() {
    }

    /** Each stall on each JDK. */
    static Stream<Arguments> everyStall() {
        return Jdks.times((Object[]) Stall.values());
    }

    /** The transport a client needs for {@code stall}: STARTTLS only to stall in its handshake. */
    static String transport(Stall stall) {
        return stall == Stall.STARTTLS_HANDSHAKE ? "starttls" : "plain";
    }

    /** What the agent's log line says the client waited for; {@code helo} for a client that says HELO. */
    static String verb(Stall stall, boolean helo) {
        switch (stall) {
            case EHLO:
                return helo ? "HELO" : "EHLO";
            case END_OF_DATA:
                return "end of data";
            case STARTTLS_HANDSHAKE:
                return "TLS handshake";
            default:
                return stall.name();
        }
    }

    /** The option whose deadline bounds {@code stall}, and the counter its reap goes to. */
    static String option(Stall stall) {
        switch (stall) {
            case MAIL:
                return "mailTimeout";
            case RCPT:
                return "rcptTimeout";
            case DATA:
                return "dataTimeout";
            case END_OF_DATA:
                return "dataEndTimeout";
            default:
                return "commandTimeout";
        }
    }

    static String counter(Stall stall) {
        String option = option(stall);
        String phase = option.substring(0, option.length() - "Timeout".length());
        return "reaped" + Character.toUpperCase(phase.charAt(0)) + phase.substring(1);
    }

    /**
     * The child's library failed with its own exception ({@code kind}) near the 2 s deadline, the agent's log names
     * the wait, the reap is counted under its phase and no other, and nothing is left open at either end.
     */
    static void assertReaped(ChildJvm c, Peer peer, Stall stall, boolean helo, String kind) throws Exception {
        Matcher failed = c.awaitOut("^FAILED (\\S+) .* after (\\d+) ms", CHILD);
        assertEquals(kind, failed.group(1), "the library's own exception: " + failed.group());
        long ms = Long.parseLong(failed.group(2));
        assertTrue(ms >= 2000 && ms < 20_000, "reaped near the 2 s deadline, not after " + ms + " ms");
        Matcher line = c.awaitErr("reaped SMTP connection #\\d+ .*: no reply to " + Pattern.quote(verb(stall, helo))
                + " after (\\d+) ms \\(" + option(stall) + " 2s\\); host thread", CHILD);
        assertTrue(Long.parseLong(line.group(1)) >= 2000, line.group());
        Map<String, Long> t = Counters.totals(c);
        assertEquals(1, t.get("connects"), t.toString());
        assertEquals(1, t.get("reaped"), t.toString());
        assertEquals(1, t.get(counter(stall)), counter(stall) + " in " + t);
        long byPhase = t.entrySet().stream().filter(e -> e.getKey().startsWith("reaped") && !e.getKey().equals("reaped"))
                .mapToLong(Map.Entry::getValue).sum();
        assertEquals(1, byPhase, "one reap, under one phase: " + t);
        assertEquals(0, t.get("open"), t.toString());
        assertEquals(0, t.get("inSession"), t.toString());
        assertEquals(0, c.exitCode(CHILD));
        peer.awaitOpen(0, Duration.ofSeconds(20));
    }
}

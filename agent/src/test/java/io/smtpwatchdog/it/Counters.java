package io.smtpwatchdog.it;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the {@code {open=0, awaiting=1, ...}} maps child programs print from the agent's counters. */
public final class Counters {
    private static final Pattern ENTRY = Pattern.compile("(\\w+)=(\\d+)");

    private Counters() {
    }

    public static Map<String, Long> parse(String text) {
        Map<String, Long> m = new LinkedHashMap<>();
        Matcher e = ENTRY.matcher(text);
        while (e.find()) {
            m.put(e.group(1), Long.parseLong(e.group(2)));
        }
        if (m.isEmpty()) {
            throw new AssertionError("no counters in: " + text);
        }
        return m;
    }

    /** The counters of destination {@code name} from the child's {@code DEST} lines, waited for. */
    public static Map<String, Long> destination(ChildJvm child, String name) throws InterruptedException {
        return parse(child.awaitOut("^DEST " + Pattern.quote(name) + " (\\{.*)", java.time.Duration.ofSeconds(90))
                .group(1));
    }

    /** The child's {@code TOTALS} line, waited for. */
    public static Map<String, Long> totals(ChildJvm child) throws InterruptedException {
        return parse(child.awaitOut("^TOTALS (.*)", java.time.Duration.ofSeconds(90)).group(1));
    }
}

package io.smtpwatchdog.demo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the demo's machine-readable {@code SUMMARY domain=D key=value ...} lines. */
final class Summaries {
    private Summaries() {
    }

    /** SUMMARY lines by domain, each as a map of its key=value fields. */
    static Map<String, Map<String, String>> byDomain(List<String> lines) {
        Map<String, Map<String, String>> byDomain = new HashMap<>();
        for (String line : lines) {
            if (line.startsWith("SUMMARY ")) {
                Map<String, String> fields = new HashMap<>();
                for (String field : line.substring(8).split(" ")) {
                    String[] kv = field.split("=", 2);
                    fields.put(kv[0], kv[1]);
                }
                byDomain.put(fields.get("domain"), fields);
            }
        }
        return byDomain;
    }
}

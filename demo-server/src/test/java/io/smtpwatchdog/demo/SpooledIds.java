package io.smtpwatchdog.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The Message-IDs still in a relay's spool, read from outside while the relay runs: what a no-loss test counts. */
final class SpooledIds {
    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*(<[^>\\r\\n]*>)");

    private SpooledIds() {
    }

    /** Every Message-ID spooled now; {@code "<spool busy>"} among them when a file went away during the look. */
    static Set<String> in(Path spool) {
        Set<String> ids = new HashSet<>();
        try (Stream<Path> files = Files.list(spool)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".msg")).toList()) {
                Matcher m = MESSAGE_ID.matcher(Files.readString(file, StandardCharsets.ISO_8859_1));
                if (m.find()) {
                    ids.add(m.group(1));
                }
            }
        } catch (IOException e) {
            // A file renamed away between list and read was just delivered; look again next time.
            ids.add("<spool busy>");
        }
        return ids;
    }
}

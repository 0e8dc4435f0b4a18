package io.smtpwatchdog.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every relative link of the project's Markdown documents leads somewhere: the file exists, and a {@code #anchor}
 * names a heading of it (as GitHub makes anchors: lower case, punctuation dropped, spaces to hyphens). The docs were
 * split across files, and a moved section must not leave a dead link behind.
 */
class DocsLinksTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*)$", Pattern.MULTILINE);

    private static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isRegularFile(here.resolve("README.md")) ? here : here.getParent();
    }

    @Test
    void everyRelativeLinkResolves() throws IOException {
        Path root = root();
        List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("BENCHMARKS.md"),
                root.resolve("demo-server/README.md"), root.resolve("src/prometheus/README.md")));
        try (Stream<Path> more = Files.list(root.resolve("docs"))) {
            more.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
        }
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path doc : docs) {
            String text = Files.readString(doc);
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("mailto:")) {
                    continue;
                }
                checked++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(root.relativize(doc) + ": " + target + " (no such file)");
                } else if (hash >= 0 && resolved.toString().endsWith(".md")
                        && !anchors(Files.readString(resolved)).contains(target.substring(hash + 1))) {
                    broken.add(root.relativize(doc) + ": " + target + " (no such heading)");
                }
            }
        }
        assertTrue(checked > 30, "the links were found: " + checked);
        assertTrue(broken.isEmpty(), "dead links: " + broken);
    }

    /** The anchors GitHub gives the headings of {@code markdown}. */
    static Set<String> anchors(String markdown) {
        Set<String> out = new HashSet<>();
        Matcher h = HEADING.matcher(markdown);
        while (h.find()) {
            String slug = h.group(1).trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-');
            String unique = slug;
            for (int n = 1; !out.add(unique); n++) {
                unique = slug + "-" + n;
            }
        }
        return out;
    }
}

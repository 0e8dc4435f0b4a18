package io.smtpwatchdog.track;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a send's recipients say about where its connections go: their one domain, or how many domains they span.
 *
 * <p>The addresses are the mail library's own objects; they are read only through {@code String.valueOf}, so this
 * works for {@code javax.mail} and {@code jakarta.mail} alike without linking to either. A domain is the text after
 * the last {@code '@'}, without a closing {@code '>'} or blanks, in lower case. Addresses without one (a bare local
 * part, a news group) say nothing and are skipped.
 */
final class Recipients {
    /** The single domain every recipient with a domain shares, or null. */
    final String domain;
    /** How many distinct domains the recipients span: 0, 1 or more. */
    final int domains;

    private Recipients(String domain, int domains) {
        this.domain = domain;
        this.domains = domains;
    }

    static Recipients of(Object[] addresses) {
        if (addresses == null) {
            return new Recipients(null, 0);
        }
        String first = null;
        Set<String> more = null; // only once a second domain shows up: most sends go to one
        for (Object a : addresses) {
            String d = domainOf(a);
            if (d == null || d.equals(first)) {
                continue;
            }
            if (first == null) {
                first = d;
            } else {
                if (more == null) {
                    more = new HashSet<String>();
                    more.add(first);
                }
                more.add(d);
            }
        }
        return more != null ? new Recipients(null, more.size()) : new Recipients(first, first == null ? 0 : 1);
    }

    /** The domain of one address, or null when it has none. */
    static String domainOf(Object address) {
        if (address == null) {
            return null;
        }
        String s = String.valueOf(address);
        int at = s.lastIndexOf('@');
        if (at < 0) {
            return null;
        }
        int end = s.length();
        while (end > at + 1 && (s.charAt(end - 1) == '>' || Character.isWhitespace(s.charAt(end - 1)))) {
            end--;
        }
        String d = s.substring(at + 1, end).trim().toLowerCase(Locale.ROOT);
        return d.isEmpty() ? null : d;
    }
}

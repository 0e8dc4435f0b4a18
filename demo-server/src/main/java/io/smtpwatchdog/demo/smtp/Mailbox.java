package io.smtpwatchdog.demo.smtp;

import java.util.Locale;

/** Syntax of mailboxes and domains (RFC 5321 §4.1.2), enough to refuse what could not be relayed. */
public final class Mailbox {
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private Mailbox() {
    }

    /** Thrown for a mailbox the relay will not take; the message is fit to go into a 553 reply. */
    public static final class BadMailbox extends Exception {
        BadMailbox(String message) {
            super(message);
        }
    }

    /**
     * Checks a mailbox {@code local@domain} and returns it with the domain in lower case, since domains
     * are case-insensitive and the relay queues by domain.
     */
    public static String normalize(String mailbox) throws BadMailbox {
        if (mailbox.length() > 254) {
            throw new BadMailbox("mailbox longer than 254 octets");
        }
        int at = mailbox.lastIndexOf('@');
        if (at < 0) {
            throw new BadMailbox("mailbox needs a domain: " + Reply.printable(mailbox));
        }
        String local = mailbox.substring(0, at);
        String domain = mailbox.substring(at + 1);
        checkLocalPart(local);
        if (domain.startsWith("[")) {
            throw new BadMailbox("address literals are not supported: " + Reply.printable(domain));
        }
        if (!isDomain(domain)) {
            throw new BadMailbox("bad domain: " + Reply.printable(domain));
        }
        return local + "@" + domain.toLowerCase(Locale.ROOT);
    }

    /** The domain of a mailbox already checked by {@link #normalize}. */
    public static String domainOf(String mailbox) {
        return mailbox.substring(mailbox.lastIndexOf('@') + 1);
    }

    /** True for a dot-separated list of LDH labels (letters, digits, hyphens inside), as DNS allows. */
    public static boolean isDomain(String domain) {
        if (domain.isEmpty() || domain.length() > 255) {
            return false;
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c < 0x80 && (Character.isLetterOrDigit(c) || c == '-'))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void checkLocalPart(String local) throws BadMailbox {
        if (local.isEmpty()) {
            throw new BadMailbox("empty local part");
        }
        if (local.length() > 64) {
            throw new BadMailbox("local part longer than 64 octets");
        }
        if (local.startsWith("\"")) {
            checkQuoted(local);
            return;
        }
        for (String atom : local.split("\\.", -1)) {
            if (atom.isEmpty()) {
                throw new BadMailbox("empty atom in local part: " + Reply.printable(local));
            }
            for (int i = 0; i < atom.length(); i++) {
                char c = atom.charAt(i);
                if (!(c < 0x80 && Character.isLetterOrDigit(c)) && ATEXT_SPECIALS.indexOf(c) < 0) {
                    throw new BadMailbox("character not allowed in local part: " + Reply.printable(local));
                }
            }
        }
    }

    private static void checkQuoted(String local) throws BadMailbox {
        if (local.length() < 2 || !local.endsWith("\"")) {
            throw new BadMailbox("unterminated quoted local part");
        }
        for (int i = 1; i < local.length() - 1; i++) {
            char c = local.charAt(i);
            if (c == '\\') {
                i++;
                c = i < local.length() - 1 ? local.charAt(i) : 0;
            } else if (c == '"') {
                throw new BadMailbox("unescaped quote in local part");
            }
            if (c < 0x20 || c > 0x7e) {
                throw new BadMailbox("character not allowed in quoted local part");
            }
        }
    }
}

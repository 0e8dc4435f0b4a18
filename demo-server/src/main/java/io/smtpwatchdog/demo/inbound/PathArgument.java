package io.smtpwatchdog.demo.inbound;

import io.smtpwatchdog.demo.smtp.Mailbox;
import io.smtpwatchdog.demo.smtp.Reply;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The argument of MAIL and RCPT: {@code FROM:<path> [params]} or {@code TO:<path> [params]}.
 *
 * <p>A malformed argument is a syntax error (501); a well-formed path holding a mailbox the relay cannot
 * take is "mailbox name not allowed" (553). Telling the two apart tells the client whether its software or
 * its data is at fault.
 *
 * @param mailbox    the normalized mailbox, empty for the null path {@code <>}
 * @param parameters ESMTP parameters, keys in upper case, value {@code null} for a bare keyword
 */
record PathArgument(String mailbox, Map<String, String> parameters) {
    private static final int MAX_PATH = 256;

    static PathArgument parse(String argument, String prefix, boolean nullPathAllowed) throws SmtpError {
        if (!argument.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new SmtpError(501, "5.5.4 syntax: expected " + prefix + "<mailbox>");
        }
        // Many clients put a space after the colon; RFC 5321 does not allow it but refusing helps nobody.
        String rest = argument.substring(prefix.length()).stripLeading();
        if (!rest.startsWith("<")) {
            throw new SmtpError(501, "5.5.4 syntax: the mailbox must be in angle brackets, as " + prefix + "<a@b>");
        }
        int close = closingBracket(rest);
        if (close < 0) {
            throw new SmtpError(501, "5.5.4 syntax: missing '>'");
        }
        String path = rest.substring(1, close);
        if (path.length() + 2 > MAX_PATH) {
            throw new SmtpError(553, "5.1.3 path longer than " + MAX_PATH + " octets");
        }
        Map<String, String> parameters = parameters(rest.substring(close + 1));
        path = withoutSourceRoute(path);
        if (path.isEmpty()) {
            if (!nullPathAllowed) {
                throw new SmtpError(553, "5.1.3 the null path <> is not a recipient");
            }
            return new PathArgument("", parameters);
        }
        try {
            return new PathArgument(Mailbox.normalize(path), parameters);
        } catch (Mailbox.BadMailbox e) {
            throw new SmtpError(553, "5.1.3 " + e.getMessage());
        }
    }

    /** The '>' that closes the path, skipping any inside a quoted local part. */
    private static int closingBracket(String rest) {
        boolean quoted = false;
        for (int i = 1; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /** RFC 5321 §4.1.2: a source route ({@code @a,@b:}) must be accepted and may be ignored. */
    private static String withoutSourceRoute(String path) throws SmtpError {
        if (!path.startsWith("@")) {
            return path;
        }
        int colon = path.indexOf(':');
        if (colon < 0) {
            throw new SmtpError(501, "5.5.4 syntax: source route without ':'");
        }
        return path.substring(colon + 1);
    }

    private static Map<String, String> parameters(String text) throws SmtpError {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return parameters;
        }
        if (!text.startsWith(" ")) {
            throw new SmtpError(501, "5.5.4 syntax: unexpected text after '>': " + Reply.printable(text));
        }
        for (String word : text.trim().split(" +")) {
            if (word.isEmpty()) {
                continue;
            }
            int eq = word.indexOf('=');
            String key = (eq < 0 ? word : word.substring(0, eq)).toUpperCase(Locale.ROOT);
            if (key.isEmpty()) {
                throw new SmtpError(501, "5.5.4 syntax: parameter without a name");
            }
            parameters.put(key, eq < 0 ? null : word.substring(eq + 1));
        }
        return parameters;
    }
}

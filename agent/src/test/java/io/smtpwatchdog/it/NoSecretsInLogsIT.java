package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.SecretsHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * R6 (issue 6), logging: the agent never logs message content or credentials. A host sends mail through Angus Mail
 * with a unique marker in the subject and body and a unique user and password over AUTH PLAIN and AUTH LOGIN, with
 * the agent at its most verbose ({@code logLevel=debug}, {@code captureStacks=true}); one more send goes to a tarpit,
 * is reaped, and the host prints the JMX {@code Connections} table meanwhile. No line the host JVM writes, on
 * stdout or stderr, may hold the marker, the user, the password or their base64 forms.
 */
class NoSecretsInLogsIT {
    private static final Duration CHILD = Duration.ofSeconds(90);
    private static final String VERBOSE = "bannerTimeout=2s,logLevel=debug,captureStacks=true";

    /** A run's unique secrets, and every form of them that may travel or be printed. */
    private static final class Secrets {
        final String marker = "MARK" + UUID.randomUUID().toString().replace("-", "");
        final String user = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        final String password = "pw-" + UUID.randomUUID();

        /** The plain strings, the base64 forms the mechanisms send, and whatever the server actually received. */
        Set<String> forms(AuthSmtp server) {
            Set<String> forms = new LinkedHashSet<>(List.of(marker, user, password, AuthSmtp.b64(user),
                    AuthSmtp.b64(password), AuthSmtp.b64("\0" + user + "\0" + password),
                    AuthSmtp.b64(user + "\0" + user + "\0" + password)));
            forms.addAll(server.authTokens);
            return forms;
        }
    }

    private static ChildJvm run(Path jdk, AuthSmtp server, Peer auth, Peer tarpit, Secrets s, String mode)
            throws Exception {
        return ChildJvm.on(jdk).agent(VERBOSE).classpath(MailLibs.classpath("angus")).run(SecretsHost.class,
                String.valueOf(auth.port()), String.valueOf(tarpit.port()), s.user, s.password, s.marker, mode);
    }

    /** Every line of the child that holds one of {@code forms}, with the form it holds. */
    private static List<String> leaks(ChildJvm c, Set<String> forms) {
        List<String> lines = new ArrayList<>(c.out());
        lines.addAll(c.err());
        List<String> leaks = new ArrayList<>();
        for (String line : lines) {
            for (String form : forms) {
                if (line.contains(form)) {
                    leaks.add("[" + form + "] " + line);
                }
            }
        }
        return leaks;
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void noOutputLineHoldsTheMessageOrTheCredentials(Path jdk) throws Exception {
        Secrets s = new Secrets();
        AuthSmtp server = new AuthSmtp(s.password);
        try (Peer auth = Peer.start(server);
             Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = run(jdk, server, auth, tarpit, s, "quiet")) {
            c.awaitOut("^SENT PLAIN$", CHILD);
            c.awaitOut("^SENT LOGIN$", CHILD);
            Matcher failed = c.awaitOut("^FAILED (\\S+) .* after (\\d+) ms", CHILD);
            assertEquals("MessagingException", failed.group(1), failed.group());
            assertTrue(Long.parseLong(failed.group(2)) >= 2000, "the tarpit was reaped at its deadline: "
                    + failed.group());
            Map<String, Long> t = Counters.totals(c);
            assertEquals(0, c.exitCode(CHILD));

            // The secrets really went through the watched connections...
            assertEquals(List.of("PLAIN", "LOGIN"), server.authenticated, "both mechanisms carried the password");
            assertEquals(2, server.messages.size());
            server.messages.forEach(m -> assertTrue(m.contains("Subject: Quarterly figures " + s.marker)
                    && m.contains("Confidential: " + s.marker), m));
            assertEquals(3, t.get("connects"), "all three sessions were tracked: " + t);
            assertEquals(1, t.get("reaped"), t.toString());
            // ...the agent logged at its most verbose, reaped, and showed the table with stacks...
            assertTrue(c.countErr(l -> l.contains("smtp-watchdog INFO") && l.contains("logLevel=debug")) == 1,
                    "the startup line shows logLevel=debug: " + c.err());
            assertTrue(c.countErr(l -> l.contains("smtp-watchdog WARN") && l.contains("reaped SMTP connection")) == 1,
                    c.err().toString());
            List<String> rows = c.out().stream().filter(l -> l.startsWith("CONNECTION ")).toList();
            assertFalse(rows.isEmpty(), "the Connections table was read while the tarpit's connection waited");
            assertTrue(rows.stream().allMatch(r -> r.contains("hostThread=mailer") && r.contains("SecretsHost")),
                    "each row has the host's thread and the stack that opened it: " + rows);
            // ...and no line of the host JVM holds any of them.
            Set<String> forms = s.forms(server);
            assertTrue(server.authTokens.size() >= 3, "PLAIN's token, LOGIN's user and password: " + server.authTokens);
            assertEquals(List.of(), leaks(c, forms));
        }
    }

    @Test
    void theScanFindsTheSecretsWhenSomethingDoesPrintThem() throws Exception {
        // The control for the test above, on one JDK: the library's own protocol trace (mail.debug, with
        // mail.debug.auth) prints the message and the AUTH exchange, and the same scan must find them.
        Secrets s = new Secrets();
        AuthSmtp server = new AuthSmtp(s.password);
        try (Peer auth = Peer.start(server);
             Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = run(Jdks.homes().get(0), server, auth, tarpit, s, "trace")) {
            assertEquals(0, c.exitCode(CHILD));
            assertEquals(List.of("PLAIN", "LOGIN"), server.authenticated);
            List<String> leaks = leaks(c, s.forms(server));
            for (String form : List.of(s.marker, AuthSmtp.b64(s.password))) {
                assertTrue(leaks.stream().anyMatch(l -> l.startsWith("[" + form + "] ")), form + " found in: " + leaks);
            }
            assertTrue(server.authTokens.stream().allMatch(token -> leaks.stream()
                    .anyMatch(l -> l.startsWith("[" + token + "] "))), "every AUTH token found: " + leaks);
        }
    }
}

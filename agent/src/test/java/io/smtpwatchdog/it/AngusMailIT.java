package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.JakartaMailClient;
import io.smtpwatchdog.it.child.TwoLoadersHost;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Angus Mail 2.0 with the Jakarta Mail 2.1 API: {@code org.eclipse.angus.mail.smtp.SMTPTransport}; and the same
 * library loaded twice, in two class loaders of the host's own, hooked in each.
 */
class AngusMailIT extends TransportLibraryTests {
    @Override
    String library() {
        return "angus";
    }

    @Override
    Class<?> client() {
        return JakartaMailClient.class;
    }

    @Override
    String connectHook() {
        return "angus-smtp";
    }

    @Override
    String sendHook() {
        return "jakarta-send";
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void theLibraryIsHookedInEveryClassLoaderThatDefinesIt(Path jdk) throws Exception {
        try (Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = ChildJvm.on(jdk).agent(AGENT).classpath(MailLibs.classpath(library()))
                     .run(TwoLoadersHost.class, "localhost", String.valueOf(tarpit.port()), "ann@stuck.example")) {
            for (int i = 1; i <= 2; i++) {
                Matcher failed = c.awaitOut("^LOADER " + i + " FAILED (\\S+) .* after (\\d+) ms", CHILD);
                assertEquals("MessagingException", failed.group(1), failed.group());
                long ms = Long.parseLong(failed.group(2));
                assertTrue(ms >= 2000 && ms < 20_000, "reaped near the 2 s deadline, not after " + ms + " ms");
            }
            String states = c.awaitOut("^LIBRARIES (.*)", CHILD).group(1);
            assertTrue(states.contains("angus-smtp=installed in 2 class loaders"), states);
            assertTrue(states.contains("jakarta-send=installed in 2 class loaders"), states);
            Map<String, Long> t = Counters.totals(c);
            assertEquals(2, t.get("connects"));
            assertEquals(2, t.get("reaped"));
            assertEquals(0, t.get("open"));
            assertEquals(2, Counters.destination(c, "stuck.example").get("reaped"));
            assertEquals(0, c.exitCode(CHILD));
            tarpit.awaitOpen(0, Duration.ofSeconds(20));
        }
    }
}

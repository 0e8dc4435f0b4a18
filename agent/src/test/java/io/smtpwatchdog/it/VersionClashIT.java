package io.smtpwatchdog.it;

import io.smtpwatchdog.it.child.ClashHost;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A host that brings its own Byte Buddy, SLF4J and logback, in other versions: neither side notices the other. */
class VersionClashIT {
    private static final Duration CHILD = Duration.ofSeconds(90);

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void theHostKeepsItsOwnLibrariesAndTheAgentStillReaps(Path jdk) throws Exception {
        Path libs = Path.of(System.getProperty("host.libs"));
        List<String> jars;
        try (Stream<Path> s = Files.list(libs)) {
            jars = s.map(Path::toString).sorted().collect(Collectors.toList());
        }
        assertEquals(4, jars.size(), "byte-buddy, slf4j-api, logback-classic, logback-core in " + libs);
        String cp = ChildJvm.testClasses() + File.pathSeparator + String.join(File.pathSeparator, jars);
        try (Peer tarpit = Peer.start(Peer.tarpit());
             ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=2s,ports=" + tarpit.port()).classpath(cp)
                     .run(ClashHost.class, "127.0.0.1", String.valueOf(tarpit.port()))) {
            assertEquals("byte-buddy-1.14.18.jar", c.awaitOut("^HOST BYTEBUDDY (\\S+) made host.Generated", CHILD).group(1));
            assertEquals("ch.qos.logback.classic.LoggerContext", c.awaitOut("^HOST SLF4J (\\S+)", CHILD).group(1));
            c.awaitOut("host logging works", CHILD);
            c.awaitOut("^FAILED java.net.SocketException", CHILD);
            Map<String, Long> t = Counters.totals(c);
            assertEquals(1, t.get("reaped"));
            // The agent's log line is handed to its writer thread: it may come a moment after the host's counters.
            c.awaitErr("reaped SMTP connection", CHILD);
        }
    }
}

package io.smtpwatchdog.demo.outbound;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoutesTest {
    @Test
    void readsDomainsHostListsCommentsAndTheDefault() throws RoutesException {
        Routes routes = Routes.parse(List.of(
                "# routes",
                "",
                "Good.Example   127.0.0.2:2525",
                "\ttarpit.example 127.0.0.3:2525,backup.internal:25  ",
                "* [::1]:2525"), "r.txt");
        assertEquals(List.of(InetSocketAddress.createUnresolved("127.0.0.2", 2525)),
                routes.lookup("good.example").orElseThrow().hosts());
        assertEquals(List.of(InetSocketAddress.createUnresolved("127.0.0.3", 2525),
                InetSocketAddress.createUnresolved("backup.internal", 25)),
                routes.lookup("TARPIT.example").orElseThrow().hosts());
        assertEquals(List.of(InetSocketAddress.createUnresolved("::1", 2525)),
                routes.lookup("anything.example").orElseThrow().hosts());
        assertEquals(List.of("good.example", "tarpit.example"), routes.domains());
    }

    @Test
    void withoutADefaultUnknownDomainsHaveNoRoute() throws RoutesException {
        Routes routes = Routes.parse(List.of("good.example 127.0.0.2:2525"), "r.txt");
        assertTrue(routes.lookup("other.example").isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "good.example                           | r.txt line 2: expected '<domain> <host>:<port>",
            "good.example 1.2.3.4:25 extra          | r.txt line 2: expected",
            "bad_domain 1.2.3.4:25                  | r.txt line 2: 'bad_domain' is not a domain name",
            "good.example 1.2.3.4                   | r.txt line 2: '1.2.3.4' is not <host>:<port>",
            "good.example 1.2.3.4:0                 | r.txt line 2: port '0' is not 1..65535",
            "good.example 1.2.3.4:http              | r.txt line 2: port 'http' is not 1..65535",
            "good.example 1.2.3.4:25,               | r.txt line 2: '' is not <host>:<port>",
            "good.example bad_host:25               | r.txt line 2: 'bad_host' is not a host name",
            "good.example [1.2.3.4]:25              | r.txt line 2: brackets are for IPv6",
            "other.example 1.2.3.4:25               | r.txt line 2: 'other.example' already has a route on line 1",
    })
    void namesTheLineOfEveryMistake(String line, String expected) {
        RoutesException e = assertThrows(RoutesException.class,
                () -> Routes.parse(List.of("other.example 1.2.3.4:25", line), "r.txt"));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    @Test
    void anEmptyFileIsAnError() {
        RoutesException e = assertThrows(RoutesException.class, () -> Routes.parse(List.of("# nothing"), "r.txt"));
        assertTrue(e.getMessage().contains("no routes"), e.getMessage());
    }

    @Test
    void loadsTheExampleRoutesFileAndReportsAMissingOne(@TempDir Path dir) throws IOException, RoutesException {
        // The example demo-server/README.md points operators to must stay loadable.
        Path example = Path.of("..", "src", "demo", "routes.txt");
        assertTrue(Files.exists(example), example.toAbsolutePath()::toString);
        Routes routes = Routes.load(example);
        assertEquals(List.of("good.example", "tarpit.example"), routes.domains());
        assertTrue(routes.lookup("unlisted.example").isEmpty());
        RoutesException e = assertThrows(RoutesException.class, () -> Routes.load(dir.resolve("missing.txt")));
        assertTrue(e.getMessage().startsWith("cannot read routes file"), e.getMessage());
    }
}

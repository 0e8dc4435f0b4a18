package io.smtpwatchdog;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class VersionTest {
    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void theBuildWritesTheProjectVersion() {
        String expected = System.getProperty("project.version");
        assertNotNull(expected, "surefire passes project.version (agent/pom.xml)");
        assertEquals(expected, Version.current());
    }

    @Test
    void aMissingOrUnfilteredOrBrokenFileIsUnknownNotAnError() {
        assertEquals("unknown", Version.read(null));
        assertEquals("unknown", Version.read(text("")));
        assertEquals("unknown", Version.read(text("version=${project.version}\n")));
        assertEquals("unknown", Version.read(new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk gone");
            }
        }));
        assertEquals("1.2.3", Version.read(text("# comment\nversion = 1.2.3 \n")));
    }
}

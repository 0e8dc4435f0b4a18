package io.smtpwatchdog.launch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One agent per JVM: the first claim wins, a second is told the first one's options. */
class ActiveMarkerTest {
    @AfterEach
    void clear() {
        System.clearProperty(ActiveMarker.PROPERTY);
    }

    @Test
    void theFirstClaimWinsAndTheSecondLearnsItsOptions() {
        assertNull(ActiveMarker.active());
        assertNull(ActiveMarker.claim("bannerTimeout=5s,mode=enforce"));
        assertEquals("bannerTimeout=5s,mode=enforce", ActiveMarker.active());
        assertEquals("bannerTimeout=5s,mode=enforce", ActiveMarker.claim("bannerTimeout=1m,mode=monitor"));
        assertEquals("bannerTimeout=5s,mode=enforce", System.getProperty("io.smtpwatchdog.active"),
                "the name operators and the CLI read");
    }

    @Test
    void aWithdrawnClaimLetsTheNextAgentStart() {
        ActiveMarker.claim("bannerTimeout=5s");
        ActiveMarker.withdraw();
        assertNull(ActiveMarker.active());
        assertNull(ActiveMarker.claim("bannerTimeout=6s"));
    }

    @Test
    void theMarkerIsNotAnOptionName() {
        // Options are read from every system property under "smtpwatchdog."; an unknown one there is an error.
        assertFalse(ActiveMarker.PROPERTY.startsWith("smtpwatchdog."));
    }

    @Test
    void theRefusalIsOneLineNamingTheOptionsAndJmx() {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(buf, true));
        try {
            assertFalse(ActiveMarker.refusedAsSecond(null));
            assertTrue(ActiveMarker.refusedAsSecond("bannerTimeout=5s,mode=enforce"));
        } finally {
            System.setErr(err);
        }
        String out = buf.toString();
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.startsWith("smtp-watchdog: not loaded: an SMTP Watchdog agent is already active in this JVM, "
                + "with bannerTimeout=5s,mode=enforce; ") && out.contains("over JMX (smtpwatchdog:type=Watchdog)"), out);
    }
}

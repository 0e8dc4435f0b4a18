package io.smtpwatchdog.demo.outbound;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackoffTest {
    @Test
    void doublesFromTheBaseUpToSixtyFourTimesIt() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1));
        assertEquals(Duration.ofSeconds(1), backoff.after(1));
        assertEquals(Duration.ofSeconds(2), backoff.after(2));
        assertEquals(Duration.ofSeconds(4), backoff.after(3));
        assertEquals(Duration.ofSeconds(64), backoff.after(7));
        assertEquals(Duration.ofSeconds(64), backoff.after(1000));
    }
}

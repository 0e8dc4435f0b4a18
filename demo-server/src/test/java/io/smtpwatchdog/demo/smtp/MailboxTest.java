package io.smtpwatchdog.demo.smtp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MailboxTest {
    @Test
    void lowerCasesTheDomainOnly() throws Mailbox.BadMailbox {
        assertEquals("John.Doe@example.org", Mailbox.normalize("John.Doe@EXAMPLE.org"));
        assertEquals("example.org", Mailbox.domainOf("John.Doe@example.org"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b", "first.last+tag@sub.example.org", "\"quoted @ local\"@example.org",
            "\"esc\\\"aped\"@example.org", "x!#$%&'*+-/=?^_`{|}~@example.org", "a@127.0.0.1"})
    void acceptsValidMailboxes(String mailbox) throws Mailbox.BadMailbox {
        Mailbox.normalize(mailbox);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodomain", "@example.org", "a@", ".a@example.org", "a.@example.org",
            "a..b@example.org", "a@example..org", "a@-example.org", "a@example-.org", "a@exa_mple.org",
            "a(b)@example.org", "\"a@example.org", "a@[1.2.3.4]", "\u00fc@example.org", "a@b\u00fc.org"})
    void refusesInvalidMailboxes(String mailbox) {
        assertThrows(Mailbox.BadMailbox.class, () -> Mailbox.normalize(mailbox));
    }

    @Test
    void enforcesLengthLimits() {
        assertThrows(Mailbox.BadMailbox.class, () -> Mailbox.normalize("x".repeat(65) + "@example.org"));
        assertThrows(Mailbox.BadMailbox.class, () -> Mailbox.normalize("a@" + "x".repeat(64) + ".org"));
        assertThrows(Mailbox.BadMailbox.class, () -> Mailbox.normalize("a@" + "abc.".repeat(63) + "org"));
    }

    @Test
    void domains() {
        assertTrue(Mailbox.isDomain("good.example"));
        assertTrue(Mailbox.isDomain("localhost"));
        assertFalse(Mailbox.isDomain(""));
        assertFalse(Mailbox.isDomain("*"));
    }
}

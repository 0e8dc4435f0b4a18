package io.smtpwatchdog.rescue;

import io.smtpwatchdog.config.Options;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FramesTest {
    private static StackTraceElement f(String type, String method) {
        return new StackTraceElement(type, method, null, -1);
    }

    private static final StackTraceElement READ = f("java.net.Socket$SocketInputStream", "read");

    @Test
    void aMailLibrarysConnectIsAGreetingWaitAndTheRestOfItsSessionIsNot() throws Exception {
        Frames frames = new Frames(List.of());
        assertEquals(Frames.Wait.GREETING, frames.of(new StackTraceElement[] {READ,
            f("org.eclipse.angus.mail.smtp.SMTPTransport", "readServerResponse"),
            f("org.eclipse.angus.mail.smtp.SMTPTransport", "openServer"),
            f("org.eclipse.angus.mail.smtp.SMTPTransport", "protocolConnect")}));
        assertEquals(Frames.Wait.GREETING, frames.of(new StackTraceElement[] {READ,
            f("org.apache.commons.net.smtp.SMTP", "getReply"), f("org.apache.commons.net.smtp.SMTP", "_connectAction_"),
            f("org.apache.commons.net.SocketClient", "connect")}));
        assertEquals(Frames.Wait.SESSION, frames.of(new StackTraceElement[] {READ,
            f("com.sun.mail.smtp.SMTPTransport", "readServerResponse"),
            f("com.sun.mail.smtp.SMTPTransport", "sendMessage")}), "a reply after MAIL FROM is not a greeting");
        assertEquals(Frames.Wait.UNKNOWN, frames.of(new StackTraceElement[] {READ, f("com.acme.Relay", "deliver")}));
        assertEquals(Frames.Wait.UNKNOWN, frames.of(new StackTraceElement[] {READ,
            f("org.apache.commons.net.pop3.POP3", "getReply"), f("org.apache.commons.net.pop3.POP3", "_connectAction_"),
            f("org.apache.commons.net.SocketClient", "connect")}), "Commons Net's POP3 client is not a mail sender");
    }

    @Test
    void aDeclaredDeliveryOnTheStackCounts() throws Exception {
        Frames frames = new Frames(Options.resolve("delivery=com.acme.Relay#deliver(java.lang.String,..)@0", null,
                null).declarations());
        assertEquals(Frames.Wait.DECLARED, frames.of(new StackTraceElement[] {READ, f("com.acme.Client", "greet"),
            f("com.acme.Relay", "deliver")}));
        assertEquals("com.acme.Client.greet(Unknown Source)", Frames.hostFrame(new StackTraceElement[] {READ,
            f("com.acme.Client", "greet")}));
    }
}

package io.smtpwatchdog.demo.inbound;

import io.smtpwatchdog.demo.Await;
import io.smtpwatchdog.demo.SmtpTestClient;
import io.smtpwatchdog.demo.smtp.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inbound protocol, spoken over real sockets to a server on an ephemeral port. */
class SmtpSessionTest {
    private static final long MAX_SIZE = 10_000;
    private final RecordingTestInbox inbox = new RecordingTestInbox();
    private Listener server;
    private SmtpTestClient client;

    @BeforeEach
    void start() throws IOException {
        server = Listener.start("test-in", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                SmtpSession.handler(inbox, new InboundSettings("relay.test", MAX_SIZE, Duration.ofMinutes(1))));
        client = SmtpTestClient.connect(server.address());
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close();
    }

    private void assertReply(int code, Reply reply) {
        assertEquals(code, reply.code(), () -> "reply was " + reply);
    }

    private void envelope() throws IOException {
        assertReply(250, client.send("EHLO client.test"));
        assertReply(250, client.send("MAIL FROM:<sender@example.org>"));
        assertReply(250, client.send("RCPT TO:<user@good.example>"));
    }

    @Test
    void greetsWith220() {
        assertReply(220, client.greeting());
    }

    @Test
    void ehloAdvertisesSizeOnAMultiLineReply() throws IOException {
        Reply reply = client.send("EHLO client.test");
        assertReply(250, reply);
        assertTrue(reply.lines().size() > 1, reply.lines()::toString);
        assertTrue(reply.lines().contains("SIZE " + MAX_SIZE), reply.lines()::toString);
    }

    @Test
    void heloGetsASingleLine() throws IOException {
        Reply reply = client.send("HELO client.test");
        assertReply(250, reply);
        assertEquals(1, reply.lines().size());
    }

    @Test
    void helloWithoutDomainIsASyntaxError() throws IOException {
        assertReply(501, client.send("EHLO"));
        assertReply(501, client.send("HELO "));
    }

    @Test
    void acceptsAMessageAndRemovesDotStuffing() throws IOException {
        Reply reply = client.mail("sender@example.org", "User@Good.Example",
                "Subject: hi\r\n\r\n..leading dot\r\nplain\r\n");
        assertReply(250, reply);
        assertTrue(reply.toString().contains("test-1"), reply::toString);
        List<RecordingTestInbox.Accepted> accepted = inbox.accepted();
        assertEquals(1, accepted.size());
        assertEquals("sender@example.org", accepted.get(0).envelope().from());
        assertEquals(List.of("User@good.example"), accepted.get(0).envelope().recipients());
        String content = accepted.get(0).content();
        assertTrue(content.startsWith("Received: from client.test"), content);
        assertTrue(content.endsWith("Subject: hi\r\n\r\n.leading dot\r\nplain\r\n"), content);
    }

    @Test
    void takesSeveralMessagesInOneSessionAndLowerCaseCommands() throws IOException {
        assertReply(250, client.mail("a@example.org", "b@good.example", "one\r\n"));
        assertReply(250, client.send("mail from:<a@example.org>"));
        assertReply(250, client.send("rcpt to:<c@good.example>"));
        assertReply(250, client.send("rcpt to:<d@other.example>"));
        assertReply(354, client.send("data"));
        client.write("two\r\n.\r\n");
        assertReply(250, client.read());
        assertEquals(2, inbox.accepted().size());
        assertEquals(List.of("c@good.example", "d@other.example"), inbox.accepted().get(1).envelope().recipients());
    }

    @Test
    void answersPipelinedCommandsInOrder() throws IOException {
        client.write("EHLO client.test\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@good.example>\r\nNOOP\r\n");
        assertReply(250, client.read());
        assertReply(250, client.read());
        assertReply(250, client.read());
        assertReply(250, client.read());
    }

    @Test
    void acceptsTheNullReversePath() throws IOException {
        assertReply(250, client.send("EHLO client.test"));
        assertReply(250, client.send("MAIL FROM:<>"));
    }

    @Test
    void ignoresASourceRoute() throws IOException {
        assertReply(250, client.send("EHLO client.test"));
        assertReply(250, client.send("MAIL FROM:<@relay.example,@other.example:a@example.org>"));
        assertReply(250, client.send("RCPT TO:<@relay.example:b@good.example>"));
    }

    @Test
    void refusesCommandsOutOfOrderWith503() throws IOException {
        assertReply(503, client.send("MAIL FROM:<a@example.org>"));
        assertReply(250, client.send("EHLO client.test"));
        assertReply(503, client.send("RCPT TO:<b@good.example>"));
        assertReply(503, client.send("DATA"));
        assertReply(250, client.send("MAIL FROM:<a@example.org>"));
        assertReply(503, client.send("MAIL FROM:<a@example.org>"));
        assertReply(503, client.send("DATA"));
    }

    @Test
    void resetClearsTheTransaction() throws IOException {
        envelope();
        assertReply(250, client.send("RSET"));
        assertReply(503, client.send("RCPT TO:<b@good.example>"));
        assertReply(501, client.send("RSET now"));
    }

    @Test
    void aNewEhloAlsoClearsTheTransaction() throws IOException {
        envelope();
        assertReply(250, client.send("EHLO client.test"));
        assertReply(503, client.send("DATA"));
    }

    @Test
    void noopAndQuit() throws IOException {
        assertReply(250, client.send("NOOP"));
        assertReply(250, client.send("NOOP anything"));
        assertReply(501, client.send("QUIT now"));
        assertReply(221, client.send("QUIT"));
        assertTrue(client.closedByServer());
    }

    @ParameterizedTest
    @ValueSource(strings = {"FOO", "", "   ", "MAILFROM:<a@b.example>", "\u00ff\u00fe\u0001garbage"})
    void refusesUnknownCommandsWith500(String line) throws IOException {
        assertReply(500, client.send(line));
        assertReply(250, client.send("NOOP"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"EXPN list", "HELP", "TURN", "STARTTLS", "AUTH PLAIN", "BDAT 10 LAST"})
    void refusesUnimplementedCommandsWith502(String line) throws IOException {
        assertReply(502, client.send(line));
    }

    @Test
    void vrfyNeitherConfirmsNorDenies() throws IOException {
        assertReply(252, client.send("VRFY someone"));
        assertReply(501, client.send("VRFY"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MAIL", "MAIL FROM:", "MAIL FROM:a@example.org", "MAIL TO:<a@example.org>",
            "MAIL FROM:<a@example.org", "MAIL FROM:<a@example.org>junk", "MAIL FROM:<a@example.org> SIZE=abc",
            "MAIL FROM:<a@example.org> BODY=9BIT"})
    void refusesMalformedMailArgumentsWith501(String line) throws IOException {
        assertReply(250, client.send("EHLO client.test"));
        assertReply(501, client.send(line));
        assertReply(250, client.send("MAIL FROM:<a@example.org>"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"<nodomain>", "<a@-bad.example>", "<a..b@good.example>", "<a@good..example>",
            "<a b@good.example>", "<a@[127.0.0.1]>", "<\"a\"b@good.example>", "<>", "<@x.example:>",
            "<\u00e9t\u00e9@good.example>"})
    void refusesBadRecipientMailboxesWith553(String path) throws IOException {
        assertReply(250, client.send("EHLO client.test"));
        assertReply(250, client.send("MAIL FROM:<a@example.org>"));
        assertReply(553, client.send("RCPT TO:" + path));
        assertReply(250, client.send("RCPT TO:<\"quoted local\"@good.example>"));
    }

    @Test
    void refusesABadSenderMailboxWith553() throws IOException {
        assertReply(250, client.send("EHLO client.test"));
        assertReply(553, client.send("MAIL FROM:<no-domain>"));
        assertReply(553, client.send("MAIL FROM:<" + "x".repeat(65) + "@example.org>"));
    }

    @Test
    void refusesRecipientsWithoutARouteWith550() throws IOException {
        assertReply(250, client.send("EHLO client.test"));
        assertReply(250, client.send("MAIL FROM:<a@example.org>"));
        assertReply(550, client.send("RCPT TO:<b@unrouted.example>"));
    }

    @Test
    void refusesUnknownParametersWith555() throws IOException {
        assertReply(250, client.send("EHLO client.test"));
        assertReply(555, client.send("MAIL FROM:<a@example.org> FOO=BAR"));
        assertReply(250, client.send("MAIL FROM:<a@example.org> BODY=8BITMIME SIZE=100"));
        assertReply(555, client.send("RCPT TO:<b@good.example> NOTIFY=NEVER"));
    }

    @Test
    void parametersNeedEhlo() throws IOException {
        assertReply(250, client.send("HELO client.test"));
        assertReply(555, client.send("MAIL FROM:<a@example.org> SIZE=100"));
    }

    @Test
    void refusesADeclaredSizeOverTheLimitWith552() throws IOException {
        assertReply(250, client.send("EHLO client.test"));
        assertReply(552, client.send("MAIL FROM:<a@example.org> SIZE=" + (MAX_SIZE + 1)));
    }

    @Test
    void refusesTheHundredAndFirstRecipientWith452() throws IOException {
        envelope();
        for (int i = 2; i <= SmtpSession.MAX_RECIPIENTS; i++) {
            assertReply(250, client.send("RCPT TO:<user" + i + "@good.example>"));
        }
        assertReply(452, client.send("RCPT TO:<one-too-many@good.example>"));
    }

    @Test
    void dataTakesNoArgument() throws IOException {
        envelope();
        assertReply(501, client.send("DATA now"));
    }

    @Test
    void commandLinesUpToTheLimitAreFineAndLongerOnesGet500() throws IOException {
        // 512 octets with CRLF: "NOOP " + 505 + CRLF.
        assertReply(250, client.send("NOOP " + "x".repeat(505)));
        Reply reply = client.send("NOOP " + "x".repeat(506));
        assertReply(500, reply);
        assertTrue(reply.toString().contains("too long"), reply::toString);
        assertReply(500, client.send("X".repeat(100_000)));
        assertReply(250, client.send("NOOP"));
    }

    @Test
    void textLinesUpToTheLimitAreFineAndLongerOnesGet500() throws IOException {
        assertReply(250, client.mail("a@example.org", "b@good.example", "x".repeat(998) + "\r\n"));
        envelope();
        assertReply(354, client.send("DATA"));
        client.write("x".repeat(999) + "\r\nmore\r\n.\r\n");
        Reply reply = client.read();
        assertReply(500, reply);
        assertTrue(reply.toString().contains("too long"), reply::toString);
        assertEquals(1, inbox.accepted().size());
        assertReply(503, client.send("DATA"));
        assertReply(250, client.send("NOOP"));
    }

    @Test
    void refusesAnOversizeMessageWith552AfterTheFinalDot() throws IOException {
        envelope();
        assertReply(354, client.send("DATA"));
        String line = "y".repeat(98) + "\r\n";
        client.write(line.repeat((int) (MAX_SIZE / 100) + 1) + ".\r\n");
        assertReply(552, client.read());
        assertTrue(inbox.accepted().isEmpty());
        assertReply(250, client.send("NOOP"));
    }

    @Test
    void refusesBareLineFeedsInCommands() throws IOException {
        client.write("NOOP\nNOOP\r\n");
        assertReply(500, client.read());
        assertReply(250, client.send("NOOP"));
    }

    @Test
    void aBareLineFeedDotDoesNotEndDataAndTheMessageIsRefused() throws IOException {
        envelope();
        assertReply(354, client.send("DATA"));
        client.write("smuggled\n.\nMAIL FROM:<evil@example.org>\r\n.\r\n");
        assertReply(554, client.read());
        assertTrue(inbox.accepted().isEmpty());
        assertReply(250, client.send("NOOP"));
    }

    @Test
    void saysNothingIsAcceptedWhenTheInboxFails() throws IOException {
        inbox.failing = true;
        Reply reply = client.mail("a@example.org", "b@good.example", "content\r\n");
        assertReply(451, reply);
        inbox.failing = false;
        assertReply(250, client.mail("a@example.org", "b@good.example", "content\r\n"));
    }

    @Test
    void anAbruptDisconnectInDataLosesNothingAcceptedAndHarmsNoOne() throws IOException {
        envelope();
        assertReply(354, client.send("DATA"));
        client.write("half a mess");
        client.close();
        Await.until("the server to notice the hang-up", Duration.ofSeconds(20), () -> server.openConnections() == 0);
        assertTrue(inbox.accepted().isEmpty());
        try (SmtpTestClient other = SmtpTestClient.connect(server.address())) {
            assertReply(250, other.mail("a@example.org", "b@good.example", "fine\r\n"));
        }
    }

    @Test
    void hangsUpOnAClientThatOnlySendsGarbage() throws IOException {
        Reply last = null;
        for (int i = 0; i < SmtpSession.MAX_ERRORS; i++) {
            last = client.send("\u0016\u0003\u0001 garbage " + i);
        }
        assertReply(500, last);
        assertReply(421, client.read());
        assertTrue(client.closedByServer());
    }

    @Test
    void survivesRawBinaryNoise() throws IOException {
        byte[] noise = new byte[4096];
        new java.util.Random(42).nextBytes(noise);
        client.write(noise);
        client.close();
        Await.until("the server to drop the noisy connection", Duration.ofSeconds(20),
                () -> server.openConnections() == 0);
        try (SmtpTestClient other = SmtpTestClient.connect(server.address())) {
            assertReply(250, other.send("NOOP"));
        }
    }

    @Test
    void idleClientsAreToldAndDropped() throws IOException {
        try (Listener quick = Listener.start("quick", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                SmtpSession.handler(inbox, new InboundSettings("relay.test", MAX_SIZE, Duration.ofMillis(300))));
             SmtpTestClient idle = SmtpTestClient.connect(quick.address())) {
            assertReply(421, idle.read());
            assertTrue(idle.closedByServer());
            assertFalse(inbox.accepted().iterator().hasNext());
        }
    }
}

package io.smtpwatchdog.track;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a session waits for, from the bytes its client writes and reads, as the hooks would feed them. */
class SessionTest {
    private final Session s = new Session();

    private void write(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        s.wrote(b, 0, b.length);
    }

    /** Written a byte at a time, as a client's write(int) would. */
    private void writeBytes(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i++) {
            s.wrote(b, i, 1);
        }
    }

    private void read(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        s.read(b, 0, b.length, true);
    }

    private String head() {
        return Verb.name(Waits.head(s.waits()));
    }

    private int waiting() {
        return Waits.count(s.waits());
    }

    @Test
    void aWholeTransactionWaitsForEachReplyInTurnAndNothingBetween() {
        assertEquals(0, waiting(), "nothing asked yet");
        write("EHLO client.example\r\n");
        assertEquals("EHLO", head());
        read("250-mx.example\r\n250-PIPELINING\r\n");
        assertEquals("EHLO", head(), "a continuation line does not end the reply");
        read("250 SIZE 1000\r\n");
        assertEquals(0, waiting());
        write("MAIL FROM:<ann@one.example>\r\n");
        assertEquals("MAIL", head());
        read("250 ok\r\n");
        write("RCPT TO:<bob@two.example>\r\n");
        assertEquals("RCPT", head());
        read("250 ok\r\n");
        write("DATA\r\n");
        assertEquals("DATA", head());
        read("354 go on\r\n");
        assertEquals(0, waiting());
        write("Subject: hi\r\nMAIL FROM: looks like a command but is the message\r\n");
        write("..dot-stuffed, not the end\r\n.x\r\n");
        assertEquals(0, waiting(), "the message itself is no command");
        write(".\r\n");
        assertEquals("end of data", head());
        assertEquals(Phase.DATA_END, Verb.phase(Waits.head(s.waits())));
        read("250 queued\r\n");
        write("QUIT\r\n");
        assertEquals("QUIT", head());
        read("221 bye\r\n");
        assertEquals(0, waiting());
    }

    @Test
    void theEndOfAMessageSplitAcrossWritesIsFound() {
        write("DATA\r\n");
        read("354 go on\r\n");
        writeBytes("line one\r\n.\r");
        assertEquals(0, waiting());
        writeBytes("\n");
        assertEquals("end of data", head());
    }

    @Test
    void aRefusedDataLeavesTheClientInCommands() {
        write("DATA\r\n");
        read("554 no valid recipients\r\n");
        write("RSET\r\n");
        assertEquals("RSET", head(), "not taken for a message");
    }

    @Test
    void pipelinedCommandsEachWaitForTheirOwnReplyInOrder() {
        write("MAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nRCPT TO:<c@y>\r\nDATA\r\n");
        assertEquals(4, waiting());
        assertEquals("MAIL", head());
        read("250 ok\r\n250 ok\r\n");
        assertEquals(2, waiting());
        assertEquals("RCPT", head());
        read("250 o");
        assertEquals("RCPT", head(), "half a reply ends nothing");
        read("k\r\n354 go\r\n");
        assertEquals(0, waiting());
        write("body\r\n.\r\n");
        assertEquals("end of data", head(), "the 354 read in the same buffer still starts the message");
    }

    @Test
    void aDripFedReplyKeepsTheTimeItsWaitStarted() throws InterruptedException {
        write("MAIL FROM:<a@x>\r\n");
        long since = s.waitSinceNanos();
        for (char c : "250 still coming".toCharArray()) {
            read(String.valueOf(c));
            Thread.sleep(1);
        }
        assertEquals(since, s.waitSinceNanos());
        assertEquals("MAIL", head());
        read("\r\n");
        assertEquals(0, waiting());
    }

    @Test
    void theNextPipelinedWaitStartsWhenThePreviousReplyArrives() throws InterruptedException {
        write("MAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\n");
        long sent = s.waitSinceNanos();
        Thread.sleep(5);
        read("250 ok\r\n");
        assertTrue(s.waitSinceNanos() - sent >= 5_000_000L, "RCPT's wait starts when MAIL's reply arrived");
    }

    @Test
    void starttlsWaitsForTheHandshakeUntilTheClientWritesInsideTls() {
        write("STARTTLS\r\n");
        assertEquals("STARTTLS", head());
        read("220 go ahead\r\n");
        assertEquals("TLS handshake", head());
        assertEquals(Phase.COMMAND, Verb.phase(Waits.head(s.waits())));
        write("EHLO client.example\r\n");
        assertEquals(1, waiting());
        assertEquals("EHLO", head());
    }

    @Test
    void aRefusedStarttlsStartsNoHandshake() {
        write("STARTTLS\r\n");
        read("454 TLS not available\r\n");
        assertEquals(0, waiting());
    }

    @Test
    void aTlsRecordWhereACommandShouldStartEndsTheWatch() {
        s.wrote(new byte[] {0x16, 0x03, 0x01, 0x00}, 0, 4);
        assertTrue(Waits.closed(s.waits()));
    }

    @Test
    void aTlsRecordWhereAReplyShouldStartEndsTheWatch() {
        write("NOOP\r\n");
        s.read(new byte[] {0x17, 0x03, 0x03}, 0, 3, true);
        assertTrue(Waits.closed(s.waits()));
    }

    @Test
    void authContinuationLinesAreAnswersTheServerRepliesTo() {
        write("AUTH LOGIN\r\n");
        read("334 VXNlcm5hbWU6\r\n");
        assertEquals(0, waiting());
        write("YW5u\r\n");
        assertEquals("AUTH", head(), "a base64 line, whatever it holds");
        read("334 UGFzc3dvcmQ6\r\n");
        write("c2VjcmV0\r\n");
        assertEquals("AUTH", head());
        read("235 ok\r\n");
        write("ab\r\n");
        assertEquals(0, waiting(), "after the 235 a short line is no command");
    }

    @ParameterizedTest
    @CsvSource({
        "'HELO x\r\n', HELO", "'ehlo x\r\n', EHLO", "'RSET\r\n', RSET", "'NOOP\n', NOOP", "'VRFY ann\r\n', VRFY",
        "'QUIT\r\n', QUIT", "'XCLIENT NAME=x\r\n', a command", "'LHLO x\r\n', LHLO", "'HELP\r\n', HELP",
        "'STARTTLS\r\n', STARTTLS", "'EXPN list\r\n', EXPN", "'AUTH PLAIN AGFubgBzZWNyZXQ=\r\n', AUTH",
        "'VERYLONGWORD x\r\n', a command"})
    void everyCommandWordIsKnownByItsVerbAlone(String line, String verb) {
        write(line);
        assertEquals(verb, head());
        assertEquals(1, waiting());
    }

    @ParameterizedTest
    @CsvSource({"'hi\r\n'", "'123 x\r\n'", "'MA1L x\r\n'", "'\r\n'", "'. \r\n'", "'Subject: x\r\n'"})
    void aLineThatIsNoCommandStartsNoWait(String line) {
        write(line);
        assertEquals(0, waiting());
    }

    @Test
    void bdatChunksAreSkippedByTheirSizeAndTheLastOneWaitsForTheEndOfData() {
        write("BDAT 12\r\nQUIT\r\nRSET\r\n"); // the chunk's twelve bytes look like commands and are not
        assertEquals(1, waiting());
        assertEquals("BDAT", head());
        assertEquals(Phase.COMMAND, Verb.phase(Waits.head(s.waits())));
        read("250 12 octets\r\n");
        writeBytes("BDAT 5 LAST\r\nab\r\n.");
        assertEquals("BDAT LAST", head());
        assertEquals(Phase.DATA_END, Verb.phase(Waits.head(s.waits())));
        write("NOOP\r\n");
        assertEquals(2, waiting(), "after the chunk, commands again");
    }

    @Test
    void aClosedSessionWaitsForNothingAndReportsWhetherAWaitWasCutShort() {
        write("MAIL FROM:<a@x>\r\n");
        long q = s.waits();
        assertTrue(s.claim(q));
        assertFalse(s.claim(q), "claimed once");
        assertFalse(s.close(), "already closed by the claim");
        write("RCPT TO:<b@y>\r\n");
        read("250 ok\r\n");
        assertEquals("MAIL", head(), "frozen as it was reaped");
    }

    @Test
    void aReplyBetweenTheReapersLookAndItsClaimWins() {
        write("NOOP\r\n");
        long judged = s.waits();
        read("250 ok\r\n");
        write("NOOP\r\n");
        assertEquals(judged & 0x00FF_FFFF_FFFF_FFFFL, s.waits() & 0x00FF_FFFF_FFFF_FFFFL, "the same NOOP again");
        assertFalse(s.claim(judged), "the generation tells the new wait from the judged one");
    }
}

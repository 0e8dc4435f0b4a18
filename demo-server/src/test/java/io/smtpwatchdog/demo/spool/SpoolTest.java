package io.smtpwatchdog.demo.spool;

import io.smtpwatchdog.demo.smtp.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpoolTest {
    @TempDir
    Path dir;

    private static byte[] content(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private List<String> files(Path directory) throws IOException {
        try (Stream<Path> s = Files.list(directory)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aStoredMessageIsOnDiskAndComesBackAfterARestart() throws IOException {
        Spool spool = new Spool(dir);
        byte[] data = content("Subject: x\r\n\r\nbinary \u00ff\u0000 and a\r\n.\r\nfake end\r\n");
        SpooledMessage stored = spool.store(new Envelope("a@example.org",
                List.of("x@good.example", "y@tarpit.example", "x@good.example")), data);
        assertEquals(List.of(stored.id() + ".msg"), files(dir));

        List<SpooledMessage> recovered = new Spool(dir).recover();
        assertEquals(1, recovered.size());
        SpooledMessage m = recovered.get(0);
        assertEquals(stored.id(), m.id());
        assertEquals("a@example.org", m.from());
        assertArrayEquals(data, m.data());
        assertEquals(List.of("x@good.example"), m.pendingIn("good.example"), "a duplicate recipient gets one copy");
        assertEquals(Set.of("good.example", "tarpit.example"), m.pendingDomains());
    }

    @Test
    void keepsTheNullReversePath() throws IOException {
        Spool spool = new Spool(dir);
        spool.store(new Envelope("", List.of("x@good.example")), content("bounce\r\n"));
        assertEquals("", new Spool(dir).recover().get(0).from());
    }

    @Test
    void recoversOldestFirst() throws IOException {
        Spool spool = new Spool(dir);
        for (int i = 0; i < 5; i++) {
            spool.store(new Envelope("a@example.org", List.of("n" + i + "@good.example")), content(i + "\r\n"));
        }
        List<SpooledMessage> recovered = new Spool(dir).recover();
        for (int i = 0; i < 5; i++) {
            assertEquals(List.of("n" + i + "@good.example"), recovered.get(i).pendingIn("good.example"));
        }
    }

    @Test
    void aPartlyDeliveredMessageResumesOnlyWhatIsPending() throws IOException {
        Spool spool = new Spool(dir);
        SpooledMessage m = spool.store(new Envelope("a@example.org",
                List.of("x@good.example", "y@tarpit.example")), content("hi\r\n"));
        m.countAttempt("good.example");
        m.mark("x@good.example", Recipient.State.DELIVERED);
        m.countAttempt("tarpit.example");
        spool.commit(m);

        SpooledMessage back = new Spool(dir).recover().get(0);
        assertEquals(Set.of("tarpit.example"), back.pendingDomains());
        assertEquals(1, back.recipients().get(1).attempts());
        assertEquals(Recipient.State.DELIVERED, back.recipients().get(0).state());
    }

    @Test
    void aDeliveredMessageLeavesTheSpool() throws IOException {
        Spool spool = new Spool(dir);
        SpooledMessage m = spool.store(new Envelope("a@example.org", List.of("x@good.example")), content("hi\r\n"));
        m.mark("x@good.example", Recipient.State.DELIVERED);
        spool.commit(m);
        spool.commit(m);
        assertEquals(List.of(), files(dir));
        assertEquals(List.of(), files(spool.failedDirectory()));
        assertTrue(new Spool(dir).recover().isEmpty());
    }

    @Test
    void aFailedMessageMovesToFailedWithItsFinalState() throws IOException {
        Spool spool = new Spool(dir);
        SpooledMessage m = spool.store(new Envelope("a@example.org",
                List.of("x@good.example", "y@tarpit.example")), content("hi\r\n"));
        m.mark("x@good.example", Recipient.State.DELIVERED);
        m.mark("y@tarpit.example", Recipient.State.FAILED);
        spool.commit(m);
        assertEquals(List.of(), files(dir));
        assertEquals(List.of(m.id() + ".msg"), files(spool.failedDirectory()));
        String failed = Files.readString(spool.failedDirectory().resolve(m.id() + ".msg"), StandardCharsets.ISO_8859_1);
        assertTrue(failed.contains("rcpt failed 0 y@tarpit.example"), failed);
        assertTrue(failed.contains("rcpt delivered 0 x@good.example"), failed);
    }

    @Test
    void dropsUnacknowledgedTempFilesAndQuarantinesUnreadableOnes() throws IOException {
        Spool spool = new Spool(dir);
        SpooledMessage good = spool.store(new Envelope("a@example.org", List.of("x@good.example")), content("ok\r\n"));
        byte[] whole = Files.readAllBytes(dir.resolve(good.id() + ".msg"));
        Files.write(dir.resolve("0000000000001-000001.msg.tmp"), whole);
        Files.write(dir.resolve("0000000000002-000001.msg"), Arrays.copyOf(whole, whole.length - 3));
        Files.write(dir.resolve("0000000000003-000001.msg"), content("garbage"));

        List<SpooledMessage> recovered = new Spool(dir).recover();
        assertEquals(1, recovered.size());
        assertEquals(good.id(), recovered.get(0).id());
        assertEquals(List.of(good.id() + ".msg"), files(dir));
        assertEquals(List.of("0000000000002-000001.msg", "0000000000003-000001.msg"),
                files(dir.resolve("corrupt")));
    }

    @Test
    void retiresAMessageSettledJustBeforeACrash() throws IOException {
        Spool spool = new Spool(dir);
        SpooledMessage m = spool.store(new Envelope("a@example.org", List.of("x@tarpit.example")), content("x\r\n"));
        // As if the process died after writing the final state but before moving the file.
        String file = Files.readString(dir.resolve(m.id() + ".msg"), StandardCharsets.ISO_8859_1)
                .replace("rcpt pending 0", "rcpt failed 10");
        Files.writeString(dir.resolve(m.id() + ".msg"), file, StandardCharsets.ISO_8859_1);

        assertTrue(new Spool(dir).recover().isEmpty());
        assertEquals(List.of(m.id() + ".msg"), files(spool.failedDirectory()));
    }
}

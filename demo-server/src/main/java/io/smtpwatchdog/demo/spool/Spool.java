package io.smtpwatchdog.demo.spool;

import io.smtpwatchdog.demo.Log;
import io.smtpwatchdog.demo.smtp.Envelope;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay's durable queue: one file per message in a directory.
 *
 * <p>Every write goes to a temporary file that is forced to disk, then renamed over the real name, then the
 * directory is forced so the rename itself survives a crash. A reader therefore sees either the old file
 * or the new one, never half of one; and once {@link #store} returns, the message survives a power cut.
 * Messages given up on move to {@code failed/}; files that cannot be read move to {@code corrupt/} rather
 * than stop the relay.
 */
public final class Spool {
    private static final String SUFFIX = ".msg";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT)
            .startsWith("windows");

    private final Path directory;
    private final Path failed;
    private final Path corrupt;
    private final AtomicLong sequence = new AtomicLong();

    /** Opens (creating if needed) the spool in {@code directory}. */
    public Spool(Path directory) throws IOException {
        this.directory = directory;
        this.failed = directory.resolve("failed");
        this.corrupt = directory.resolve("corrupt");
        Files.createDirectories(failed);
        Files.createDirectories(corrupt);
    }

    /** The directory holding messages still to deliver. */
    public Path directory() {
        return directory;
    }

    /** The directory messages move to when they are given up on. */
    public Path failedDirectory() {
        return failed;
    }

    /**
     * Writes a new message durably. When this returns, the message is on disk and will be found again by
     * {@link #recover} after any crash; only then may the client be told 250.
     */
    public SpooledMessage store(Envelope envelope, byte[] data) throws IOException {
        long now = System.currentTimeMillis();
        String id = String.format("%013d-%06d", now, sequence.incrementAndGet());
        List<Recipient> recipients = new ArrayList<>();
        // A mailbox given twice gets one copy, as from any other MTA.
        for (String mailbox : new LinkedHashSet<>(envelope.recipients())) {
            recipients.add(new Recipient(mailbox, Recipient.State.PENDING, 0));
        }
        SpooledMessage message = new SpooledMessage(id, now, envelope.from(), recipients, data);
        writeDurably(directory, id + SUFFIX, SpoolFormat.encode(message));
        return message;
    }

    /**
     * Makes the file match the message's current state: rewrites it while recipients are pending, and once
     * none are, removes it (all delivered) or moves it to {@code failed/} (any failed). Safe to call from
     * several threads and more than once.
     */
    public void commit(SpooledMessage message) throws IOException {
        synchronized (message) {
            if (message.retired()) {
                return;
            }
            // A message leaving for good needs no rewrite, unless it goes to failed/ where its final state
            // is what the operator will read.
            if (!message.settled() || message.anyFailed()) {
                writeDurably(directory, message.id() + SUFFIX, SpoolFormat.encode(message));
            }
            if (message.settled()) {
                retire(message);
            }
        }
    }

    private void retire(SpooledMessage message) throws IOException {
        Path file = directory.resolve(message.id() + SUFFIX);
        if (message.anyFailed()) {
            Files.move(file, failed.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(failed);
        } else {
            Files.deleteIfExists(file);
        }
        forceDirectory(directory);
        message.retire();
    }

    /**
     * Reads back everything the spool holds, oldest first, after a start or a crash. Leftover temporary files
     * were never acknowledged, so they go; unreadable files move to {@code corrupt/}; messages whose last
     * recipient was settled just before a crash are retired now.
     */
    public List<SpooledMessage> recover() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.endsWith(TEMP_SUFFIX)) {
                    Files.deleteIfExists(entry);
                } else if (name.endsWith(SUFFIX) && Files.isRegularFile(entry)) {
                    files.add(entry);
                }
            }
        }
        files.sort(null);
        List<SpooledMessage> messages = new ArrayList<>();
        for (Path file : files) {
            SpooledMessage message;
            try {
                message = SpoolFormat.decode(Files.readAllBytes(file));
            } catch (SpoolFormat.Corrupt e) {
                Log.info("spool: %s is unreadable (%s); moved to %s", file.getFileName(), e.getMessage(), corrupt);
                Files.move(file, corrupt.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                continue;
            }
            if (message.settled()) {
                retire(message);
            } else {
                messages.add(message);
            }
        }
        forceDirectory(directory);
        return messages;
    }

    private static void writeDurably(Path directory, String name, byte[] content) throws IOException {
        Path temp = directory.resolve(name + TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(directory);
    }

    /** A rename is only durable once the directory holding it is; without this a crash can undo it. */
    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            // Windows cannot open a directory this way; NTFS journals the rename itself.
            if (!WINDOWS) {
                throw e;
            }
        }
    }
}

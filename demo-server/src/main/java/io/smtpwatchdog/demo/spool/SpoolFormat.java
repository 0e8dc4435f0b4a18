package io.smtpwatchdog.demo.spool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The layout of a spool file: a few text lines for the envelope and the state of each recipient, then the
 * content, then an end marker. Text so an operator can read a stuck message with {@code less}; a length and
 * an end marker so a file that is not whole is recognized as such instead of delivered cut short.
 *
 * <pre>
 * demo-spool 1
 * id 0001700000000000-000001
 * received 1700000000000
 * from &lt;sender@example.org&gt;
 * rcpt pending 0 user@good.example
 * rcpt delivered 1 other@tarpit.example
 * data 1234
 * ...1234 octets of content...
 * end
 * </pre>
 */
final class SpoolFormat {
    private static final String MAGIC = "demo-spool 1";
    private static final String END = "\nend\n";

    private SpoolFormat() {
    }

    /** Thrown for a file that is not a whole spool file. */
    static final class Corrupt extends IOException {
        Corrupt(String message) {
            super(message);
        }
    }

    static byte[] encode(SpooledMessage message) {
        StringBuilder header = new StringBuilder();
        header.append(MAGIC).append('\n');
        header.append("id ").append(message.id()).append('\n');
        header.append("received ").append(message.receivedAt()).append('\n');
        header.append("from <").append(message.from()).append(">\n");
        for (Recipient r : message.recipientsForWriting()) {
            header.append("rcpt ").append(r.state().name().toLowerCase(Locale.ROOT)).append(' ')
                    .append(r.attempts()).append(' ').append(r.mailbox()).append('\n');
        }
        header.append("data ").append(message.data().length).append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length() + message.data().length + 8);
        out.writeBytes(header.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(message.data());
        out.writeBytes(END.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    static SpooledMessage decode(byte[] file) throws Corrupt {
        Cursor cursor = new Cursor(file);
        if (!MAGIC.equals(cursor.line())) {
            throw new Corrupt("not a spool file");
        }
        String id = cursor.field("id");
        long received = cursor.number(cursor.field("received"));
        String from = cursor.field("from");
        if (!from.startsWith("<") || !from.endsWith(">")) {
            throw new Corrupt("bad from line");
        }
        List<Recipient> recipients = new ArrayList<>();
        String line = cursor.line();
        while (line.startsWith("rcpt ")) {
            String[] parts = line.split(" ", 4);
            if (parts.length != 4) {
                throw new Corrupt("bad rcpt line");
            }
            Recipient.State state;
            try {
                state = Recipient.State.valueOf(parts[1].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new Corrupt("bad recipient state " + parts[1]);
            }
            recipients.add(new Recipient(parts[3], state, (int) cursor.number(parts[2])));
            line = cursor.line();
        }
        if (recipients.isEmpty() || !line.startsWith("data ")) {
            throw new Corrupt("no recipients or no data line");
        }
        int length = (int) cursor.number(line.substring(5));
        byte[] data = cursor.bytes(length);
        if (!END.equals(new String(cursor.rest(), StandardCharsets.ISO_8859_1))) {
            throw new Corrupt("missing end marker: file is incomplete");
        }
        return new SpooledMessage(id, received, from.substring(1, from.length() - 1), recipients, data);
    }

    private static final class Cursor {
        private final byte[] file;
        private int position;

        Cursor(byte[] file) {
            this.file = file;
        }

        String line() throws Corrupt {
            for (int i = position; i < file.length; i++) {
                if (file[i] == '\n') {
                    String line = new String(file, position, i - position, StandardCharsets.ISO_8859_1);
                    position = i + 1;
                    return line;
                }
            }
            throw new Corrupt("truncated header");
        }

        String field(String name) throws Corrupt {
            String line = line();
            if (!line.startsWith(name + " ")) {
                throw new Corrupt("expected " + name + " line");
            }
            return line.substring(name.length() + 1);
        }

        long number(String text) throws Corrupt {
            try {
                long n = Long.parseLong(text);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new Corrupt("bad number " + text);
            }
        }

        byte[] bytes(int length) throws Corrupt {
            if (length > file.length - position) {
                throw new Corrupt("content cut short");
            }
            byte[] bytes = Arrays.copyOfRange(file, position, position + length);
            position += length;
            return bytes;
        }

        byte[] rest() {
            return Arrays.copyOfRange(file, position, file.length);
        }
    }
}

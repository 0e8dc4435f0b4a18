package io.smtpwatchdog.demo.demo;

import io.smtpwatchdog.demo.smtp.CrlfLineReader;
import io.smtpwatchdog.demo.smtp.DotStuffing;
import io.smtpwatchdog.demo.smtp.Reply;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A mail submitter speaking SMTP to the relay's inbound port, as the relay's users would: the demo hands its
 * mail in through the front door so that the whole path, spool included, is exercised.
 */
public final class Submitter implements AutoCloseable {
    private final Socket socket;
    private final CrlfLineReader in;
    private final OutputStream out;

    private Submitter(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new CrlfLineReader(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    /** Connects and says EHLO. */
    public static Submitter connect(InetSocketAddress relay, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(relay, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            Submitter submitter = new Submitter(socket);
            submitter.expect(Reply.read(submitter.in), 220);
            submitter.expect(submitter.command("EHLO submitter.localhost"), 250);
            return submitter;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Submits one message.
     *
     * @return the relay's reply to the final dot, a 250 when the relay took the message
     * @throws ProtocolException when the relay refused the envelope
     */
    public Reply send(String from, String to, byte[] data) throws IOException {
        expect(command("MAIL FROM:<" + from + ">"), 250);
        expect(command("RCPT TO:<" + to + ">"), 250);
        expect(command("DATA"), 354);
        DotStuffing.write(data, out);
        out.flush();
        return Reply.read(in);
    }

    /** A small message with a unique Message-ID, which tells duplicates from distinct messages. */
    public static byte[] message(String from, String to, String messageId, String subject) {
        String text = "From: <" + from + ">\r\n"
                + "To: <" + to + ">\r\n"
                + "Subject: " + subject + "\r\n"
                + "Message-ID: " + messageId + "\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()) + "\r\n"
                + "\r\n"
                + "Sent through the demo-server to show KB Q175982.\r\n"
                + ".A line starting with a dot, to exercise dot-stuffing.\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private Reply command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return Reply.read(in);
    }

    private static void expect(Reply reply, int code) throws ProtocolException {
        if (reply.code() != code) {
            throw new ProtocolException("expected " + code + ", got " + reply);
        }
    }

    /** Says QUIT and closes. */
    @Override
    public void close() throws IOException {
        try (socket) {
            command("QUIT");
        } catch (IOException ignored) {
            // The relay has what it was given; a failed goodbye changes nothing.
        }
    }
}

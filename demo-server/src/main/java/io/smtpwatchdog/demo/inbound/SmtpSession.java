package io.smtpwatchdog.demo.inbound;

import io.smtpwatchdog.demo.Log;
import io.smtpwatchdog.demo.smtp.CrlfLineReader;
import io.smtpwatchdog.demo.smtp.Envelope;
import io.smtpwatchdog.demo.smtp.Line;
import io.smtpwatchdog.demo.smtp.Mailbox;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server side of one SMTP connection (RFC 5321): the commands a relay needs, and a clear negative reply
 * for everything else, so that garbage, bad sequences and abrupt hang-ups end in a reply or a closed
 * connection and never in a stuck or dead thread.
 */
public final class SmtpSession {
    /** RFC 5321 §4.5.3.1.4 and §4.5.3.1.6, both counting the CRLF. */
    static final int COMMAND_LINE_LIMIT = 512;
    static final int TEXT_LINE_LIMIT = 1000;
    /** RFC 5321 §4.5.3.1.8 asks servers to take at least 100. */
    static final int MAX_RECIPIENTS = 100;
    /** A client that gets this many errors is confused or hostile; either way talking on is pointless. */
    static final int MAX_ERRORS = 20;
    private static final byte[] CRLF = {'\r', '\n'};

    private final Socket socket;
    private final Inbox inbox;
    private final InboundSettings settings;
    private CrlfLineReader in;
    private OutputStream out;
    private String clientName;
    private boolean extended;
    private String from;
    private final List<String> recipients = new ArrayList<>();
    private int errors;

    private SmtpSession(Socket socket, Inbox inbox, InboundSettings settings) {
        this.socket = socket;
        this.inbox = inbox;
        this.settings = settings;
    }

    /** A handler that runs an SMTP session on each connection, delivering what it receives to {@code inbox}. */
    public static ConnectionHandler handler(Inbox inbox, InboundSettings settings) {
        return socket -> new SmtpSession(socket, inbox, settings).run();
    }

    private void run() throws IOException {
        socket.setSoTimeout((int) settings.idleTimeout().toMillis());
        in = new CrlfLineReader(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream());
        reply(220, settings.hostname() + " ESMTP demo-server ready");
        try {
            while (true) {
                Line line = in.read(COMMAND_LINE_LIMIT);
                if (line == null || !command(line)) {
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            reply(421, "4.4.2 " + settings.hostname() + " idle too long, closing connection");
        }
    }

    /** Handles one command line; false ends the session. */
    private boolean command(Line line) throws IOException {
        try {
            if (line.tooLong()) {
                throw new SmtpError(500, "5.5.2 line too long (limit " + COMMAND_LINE_LIMIT + " octets with CRLF)");
            }
            if (line.bareCrOrLf()) {
                throw new SmtpError(500, "5.5.2 bare CR or LF in command; lines end with CRLF");
            }
            String text = line.text();
            int space = text.indexOf(' ');
            String verb = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
            String argument = space < 0 ? "" : text.substring(space + 1);
            switch (verb) {
                case "EHLO" -> hello(argument, true);
                case "HELO" -> hello(argument, false);
                case "MAIL" -> mail(argument);
                case "RCPT" -> recipient(argument);
                case "DATA" -> {
                    return data(argument);
                }
                case "RSET" -> {
                    noArgument(verb, argument);
                    resetTransaction();
                    reply(250, "2.0.0 OK");
                }
                case "NOOP" -> reply(250, "2.0.0 OK");
                case "QUIT" -> {
                    noArgument(verb, argument);
                    reply(221, "2.0.0 " + settings.hostname() + " closing connection");
                    return false;
                }
                case "VRFY" -> {
                    if (argument.isBlank()) {
                        throw new SmtpError(501, "5.5.4 syntax: VRFY <mailbox>");
                    }
                    reply(252, "2.5.0 cannot verify mailboxes; send mail and delivery will be attempted");
                }
                case "EXPN", "HELP", "TURN", "ETRN", "STARTTLS", "AUTH", "BDAT", "SEND", "SOML", "SAML", "ATRN" ->
                        throw new SmtpError(502, "5.5.1 " + verb + " not implemented");
                default -> throw new SmtpError(500, "5.5.2 command not recognized");
            }
            return true;
        } catch (SmtpError e) {
            return error(e);
        }
    }

    private boolean error(SmtpError e) throws IOException {
        reply(e.code, e.getMessage());
        if (++errors >= MAX_ERRORS) {
            reply(421, "4.7.0 too many errors, closing connection");
            return false;
        }
        return true;
    }

    private void hello(String argument, boolean ehlo) throws IOException, SmtpError {
        String name = argument.trim();
        if (name.isEmpty() || name.contains(" ")) {
            throw new SmtpError(501, "5.5.4 syntax: " + (ehlo ? "EHLO" : "HELO") + " <domain>");
        }
        // RFC 5321 §4.1.4: a new EHLO/HELO also clears any transaction in progress.
        resetTransaction();
        clientName = name;
        extended = ehlo;
        String greeting = settings.hostname() + " greets " + name;
        if (ehlo) {
            reply(250, greeting, "SIZE " + settings.maxMessageSize(), "8BITMIME", "ENHANCEDSTATUSCODES");
        } else {
            reply(250, greeting);
        }
    }

    private void mail(String argument) throws IOException, SmtpError {
        if (clientName == null) {
            throw new SmtpError(503, "5.5.1 send EHLO or HELO first");
        }
        if (from != null) {
            throw new SmtpError(503, "5.5.1 sender already given; RSET to start over");
        }
        PathArgument path = PathArgument.parse(argument, "FROM:", true);
        for (Map.Entry<String, String> parameter : path.parameters().entrySet()) {
            mailParameter(parameter.getKey(), parameter.getValue());
        }
        from = path.mailbox();
        reply(250, "2.1.0 sender OK");
    }

    private void mailParameter(String key, String value) throws SmtpError {
        if (!extended) {
            throw new SmtpError(555, "5.5.4 parameters need EHLO, not HELO");
        }
        switch (key) {
            case "SIZE" -> {
                long size;
                try {
                    size = Long.parseLong(value == null ? "" : value);
                } catch (NumberFormatException e) {
                    throw new SmtpError(501, "5.5.4 syntax: SIZE=<octets>");
                }
                if (size > settings.maxMessageSize()) {
                    throw new SmtpError(552, "5.3.4 message size exceeds fixed maximum message size of "
                            + settings.maxMessageSize() + " octets");
                }
            }
            case "BODY" -> {
                if (!"7BIT".equalsIgnoreCase(value) && !"8BITMIME".equalsIgnoreCase(value)) {
                    throw new SmtpError(501, "5.5.4 syntax: BODY=7BIT or BODY=8BITMIME");
                }
            }
            default -> throw new SmtpError(555, "5.5.4 parameter " + key + " not supported");
        }
    }

    private void recipient(String argument) throws IOException, SmtpError {
        if (from == null) {
            throw new SmtpError(503, "5.5.1 need MAIL before RCPT");
        }
        PathArgument path = PathArgument.parse(argument, "TO:", false);
        if (!path.parameters().isEmpty()) {
            throw new SmtpError(555, "5.5.4 RCPT parameters not supported");
        }
        if (recipients.size() >= MAX_RECIPIENTS) {
            throw new SmtpError(452, "4.5.3 too many recipients; send the rest in another transaction");
        }
        String domain = Mailbox.domainOf(path.mailbox());
        if (!inbox.acceptsDomain(domain)) {
            throw new SmtpError(550, "5.7.1 relaying denied: no route to " + domain);
        }
        recipients.add(path.mailbox());
        reply(250, "2.1.5 recipient OK");
    }

    private boolean data(String argument) throws IOException {
        try {
            if (!argument.isBlank()) {
                throw new SmtpError(501, "5.5.4 DATA takes no argument");
            }
            if (from == null) {
                throw new SmtpError(503, "5.5.1 need MAIL before DATA");
            }
            if (recipients.isEmpty()) {
                throw new SmtpError(503, "5.5.1 need RCPT before DATA");
            }
        } catch (SmtpError e) {
            return error(e);
        }
        reply(354, "end data with <CR><LF>.<CR><LF>");
        Content content = readContent();
        if (content == null) {
            return false;
        }
        Envelope envelope = new Envelope(from, recipients);
        // RFC 5321 §4.1.4: the transaction is over whatever happens next.
        resetTransaction();
        try {
            content.check(settings.maxMessageSize());
            String id;
            try {
                id = inbox.accept(envelope, content.withTrace(traceHeader()));
            } catch (IOException e) {
                Log.info("could not take message from %s: %s", socket.getRemoteSocketAddress(), e);
                throw new SmtpError(451, "4.3.0 local error, message not accepted; try again later");
            }
            reply(250, "2.0.0 OK queued as " + id);
            return true;
        } catch (SmtpError e) {
            return error(e);
        }
    }

    /** Reads up to the lone dot; null when the client went away first, so nothing half-read is kept. */
    private Content readContent() throws IOException {
        Content content = new Content();
        while (true) {
            Line line = in.read(TEXT_LINE_LIMIT);
            if (line == null) {
                return null;
            }
            if (line.isEndOfData()) {
                return content;
            }
            content.add(line, settings.maxMessageSize());
        }
    }

    /** RFC 5321 §4.4: every relay that touches a message prepends a Received line. */
    private String traceHeader() {
        return "Received: from " + clientName + " ([" + socket.getInetAddress().getHostAddress() + "])\r\n"
                + "\tby " + settings.hostname() + " (demo-server) with " + (extended ? "ESMTP" : "SMTP") + ";\r\n"
                + "\t" + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()) + "\r\n";
    }

    private void noArgument(String verb, String argument) throws SmtpError {
        if (!argument.isBlank()) {
            throw new SmtpError(501, "5.5.4 " + verb + " takes no argument");
        }
    }

    private void resetTransaction() {
        from = null;
        recipients.clear();
    }

    private void reply(int code, String... lines) throws IOException {
        for (int i = 0; i < lines.length; i++) {
            String separator = i < lines.length - 1 ? "-" : " ";
            out.write((code + separator + lines[i]).getBytes(StandardCharsets.ISO_8859_1));
            out.write(CRLF);
        }
        out.flush();
    }

    /** Message content as it arrives; keeps reading past a problem so the reply comes after the final dot. */
    private static final class Content {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private long size;
        private boolean lineTooLong;
        private boolean bareCrOrLf;

        void add(Line line, long maxSize) {
            byte[] b = line.bytes();
            int skip = b.length > 0 && b[0] == '.' ? 1 : 0;
            size += b.length - skip + 2;
            lineTooLong |= line.tooLong();
            bareCrOrLf |= line.bareCrOrLf();
            if (size <= maxSize && !lineTooLong && !bareCrOrLf) {
                bytes.write(b, skip, b.length - skip);
                bytes.write(CRLF, 0, 2);
            }
        }

        void check(long maxSize) throws SmtpError {
            if (size > maxSize) {
                throw new SmtpError(552, "5.3.4 message size exceeds fixed maximum message size of "
                        + maxSize + " octets");
            }
            if (lineTooLong) {
                throw new SmtpError(500, "5.5.2 line too long (limit " + TEXT_LINE_LIMIT + " octets with CRLF)");
            }
            if (bareCrOrLf) {
                throw new SmtpError(554, "5.6.0 bare CR or LF in message; lines end with CRLF");
            }
        }

        byte[] withTrace(String header) {
            byte[] trace = header.getBytes(StandardCharsets.ISO_8859_1);
            byte[] message = bytes.toByteArray();
            byte[] all = new byte[trace.length + message.length];
            System.arraycopy(trace, 0, all, 0, trace.length);
            System.arraycopy(message, 0, all, trace.length, message.length);
            return all;
        }
    }
}

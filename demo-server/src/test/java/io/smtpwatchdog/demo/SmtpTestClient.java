package io.smtpwatchdog.demo;

import io.smtpwatchdog.demo.smtp.CrlfLineReader;
import io.smtpwatchdog.demo.smtp.Reply;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A raw SMTP client for tests: sends exactly the bytes it is given, so bad input can be sent too. */
public final class SmtpTestClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream rawIn;
    private final CrlfLineReader in;
    private final OutputStream out;
    private final Reply greeting;

    private SmtpTestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.rawIn = socket.getInputStream();
        this.in = new CrlfLineReader(rawIn);
        this.out = socket.getOutputStream();
        this.greeting = Reply.read(in);
    }

    /** Connects and reads the greeting; every read gives up after 20 s so a broken server fails the test. */
    public static SmtpTestClient connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 10_000);
        socket.setSoTimeout(20_000);
        return new SmtpTestClient(socket);
    }

    /** The server's greeting. */
    public Reply greeting() {
        return greeting;
    }

    /** Sends {@code line} with CRLF and reads the reply. */
    public Reply send(String line) throws IOException {
        write(line + "\r\n");
        return read();
    }

    /** Sends text as ISO-8859-1 bytes, exactly as given. */
    public void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends bytes exactly as given. */
    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one reply. */
    public Reply read() throws IOException {
        return Reply.read(in);
    }

    /** EHLO, MAIL, RCPT, DATA, content, final dot; returns the reply to the final dot. */
    public Reply mail(String from, String to, String content) throws IOException {
        expect(250, send("EHLO client.test"));
        expect(250, send("MAIL FROM:<" + from + ">"));
        expect(250, send("RCPT TO:<" + to + ">"));
        expect(354, send("DATA"));
        write(content + ".\r\n");
        return read();
    }

    /** True when the server closed the connection: the next read sees end of stream. */
    public boolean closedByServer() throws IOException {
        try {
            return rawIn.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void expect(int code, Reply reply) throws IOException {
        if (reply.code() != code) {
            throw new IOException("expected " + code + ", got " + reply);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

package io.smtpwatchdog.demo.remote;

import io.smtpwatchdog.demo.Await;
import io.smtpwatchdog.demo.smtp.CrlfLineReader;
import io.smtpwatchdog.demo.smtp.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stalling remote host over a real socket: a normal start, then silence after MAIL FROM. */
class StallTest {
    /** Long enough to tell "no reply" from "a slow reply" on loopback, short enough for a unit test. */
    private static final int SILENCE_MILLIS = 1000;
    private Stall stall;

    @BeforeEach
    void start() throws IOException {
        stall = Stall.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void stop() {
        stall.close();
    }

    @Test
    void greetsAndAnswersEhloThenNeverAnswersMailAndKeepsTheConnectionOpen() throws Exception {
        try (Socket socket = connect()) {
            CrlfLineReader in = new CrlfLineReader(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            assertEquals(220, Reply.read(in).code());
            assertEquals(250, command(out, in, "EHLO relay.test").code());

            send(out, "MAIL FROM:<a@relay.test>");
            assertThrows(SocketTimeoutException.class, () -> Reply.read(in), "no reply to MAIL FROM");
            assertEquals(1, stall.stalledConnections());
            assertEquals(1, stall.openConnections());

            // Still open and still reading: more commands are taken, and answered no more than MAIL was.
            send(out, "RCPT TO:<b@stall.example>");
            send(out, "NOOP");
            assertThrows(SocketTimeoutException.class, () -> Reply.read(in), "no reply after MAIL FROM at all");
            assertEquals(1, stall.openConnections());
        }
        Await.until("the stall to see the client close", Duration.ofSeconds(10),
                () -> stall.openConnections() == 0 && stall.stalledConnections() == 0);
    }

    @Test
    void answersHeloTooAndStallsEachConnectionOnItsOwn() throws Exception {
        try (Socket first = connect(); Socket second = connect()) {
            for (Socket socket : new Socket[] {first, second}) {
                CrlfLineReader in = new CrlfLineReader(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                assertEquals(220, Reply.read(in).code());
                assertEquals(250, command(out, in, "HELO relay.test").code());
                send(out, "MAIL FROM:<a@relay.test>");
            }
            Await.until("both connections to stall", Duration.ofSeconds(10), () -> stall.stalledConnections() == 2);
            assertEquals(2, stall.openConnections());
        }
    }

    @Test
    void closingTheHostEndsTheClientsWait() throws Exception {
        try (Socket socket = connect()) {
            CrlfLineReader in = new CrlfLineReader(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            assertEquals(220, Reply.read(in).code());
            assertEquals(250, command(out, in, "EHLO relay.test").code());
            send(out, "MAIL FROM:<a@relay.test>");
            Await.until("the connection to stall", Duration.ofSeconds(10), () -> stall.stalledConnections() == 1);

            stall.close();
            socket.setSoTimeout(10_000);
            IOException end = assertThrows(IOException.class, () -> Reply.read(in));
            assertTrue(!(end instanceof SocketTimeoutException), "the wait ends at once: " + end);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(stall.address(), 10_000);
        socket.setSoTimeout(SILENCE_MILLIS);
        return socket;
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static Reply command(OutputStream out, CrlfLineReader in, String line) throws IOException {
        send(out, line);
        return Reply.read(in);
    }
}

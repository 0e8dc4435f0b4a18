package io.smtpwatchdog.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * R5, peers: malformed greetings. A greeting ends at a final reply line, three digits then a space or the line's end,
 * then LF (RFC 5321 §4.2); whatever else a peer sends keeps the wait going until the deadline, and a peer that closes
 * early just ends the connection. Each row's expected agent outcome is exact, and for every row the host sees no
 * exception but its own socket's, and nothing is left held or open. All rows run at once in one child JVM per JDK,
 * with a 2 s deadline.
 */
class MalformedGreetingIT {
    private static final Map<Path, MatrixRun> RUNS = new HashMap<>();

    /** What the agent should do with the row's greeting. */
    enum Expect { REAPED, ACCEPTED, PEER_CLOSED }

    /**
     * The rows, named as in the table of docs/evidence.md: what the peer sends, what it does next, and the expected
     * outcome.
     */
    enum Row {
        GARBAGE("garbage", ascii("HELLO? this is not SMTP\r\nnor is this\r\n"), Then.SILENCE, Expect.REAPED),
        BINARY_NUL("binary-nul", new byte[] {0, 0, 0, 0x16, 3, 1, (byte) 0xff, (byte) 0xfe, 0, '\r', '\n', '2', '2',
            0, ' ', 'x', '\r', '\n', 0}, Then.SILENCE, Expect.REAPED),
        OVERLONG_NO_CRLF("overlong-no-crlf", overlong(), Then.SILENCE, Expect.REAPED),
        CODE_WITHOUT_SPACE("220-then-silence", ascii("220"), Then.SILENCE, Expect.REAPED),
        BARE_LF("bare-lf", ascii("220 lf.example ready\n"), Then.ANSWER_QUIT, Expect.ACCEPTED),
        FOUR_DIGITS("2200-x", ascii("2200 x\r\n"), Then.SILENCE, Expect.REAPED),
        REFUSAL_554("554-greeting", ascii("554 5.3.2 no service here\r\n"), Then.ANSWER_QUIT, Expect.ACCEPTED),
        MULTILINE_UNFINISHED("multiline-unfinished", ascii("220-mx.example ESMTP\r\n220-still going\r\n"),
                Then.SILENCE, Expect.REAPED),
        CLOSE_MID_LINE("close-mid-line", ascii("220 mx.exa"), Then.CLOSE, Expect.PEER_CLOSED);

        final String label;
        final byte[] sends;
        final Then then;
        final Expect expect;

        Row(String label, byte[] sends, Then then, Expect expect) {
            this.label = label;
            this.sends = sends;
            this.then = then;
            this.expect = expect;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** What the peer does once it has sent its bytes. */
    enum Then { SILENCE, ANSWER_QUIT, CLOSE }

    static Stream<Arguments> rows() {
        return Jdks.times((Object[]) Row.values());
    }

    @AfterAll
    static void closeRuns() {
        RUNS.values().forEach(MatrixRun::close);
        RUNS.clear();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("rows")
    void row(Path jdk, Row row) throws Exception {
        MatrixRun run = run(jdk);
        String r = row.label;
        String outcome = run.outcome(r);
        Map<String, Long> c = run.counters(r);
        assertEquals(1, c.get("connects"), c.toString());
        assertEquals(1, c.get("closes"), c.toString());
        switch (row.expect) {
            case REAPED -> {
                assertTrue(outcome.startsWith("FAILED java.net.SocketException"), "the reaper ended it: " + outcome);
                assertTrue(MatrixRun.millis(outcome) >= 2000, "not before the deadline: " + outcome);
                assertEquals(1, c.get("reaped"), c.toString());
                assertEquals(1, run.reapLines(r), "one reap line for " + r);
                assertEquals(1, c.get("slotsRecovered"), "the slot the host leaked came back once: " + c);
            }
            case ACCEPTED -> {
                assertTrue(outcome.matches("GREETING\\[\\d{3} .*] QUIT\\[221 .*"), "a greeting, then QUIT: " + outcome);
                assertEquals(0, c.get("reaped"), c.toString());
                assertEquals(0, c.get("overdue"), "the greeting ended the wait: " + c);
                assertEquals(0, c.get("slotsRecovered"), c.toString());
            }
            case PEER_CLOSED -> {
                assertTrue(outcome.startsWith("FAILED java.io.EOFException"), outcome);
                assertEquals(0, c.get("reaped"), c.toString());
                assertEquals(1, c.get("slotsRecovered"), "the slot the host leaked came back once: " + c);
            }
            default -> throw new AssertionError(row.expect);
        }
        run.assertNothingLeaked(r);
        assertEquals(0, run.child().countErr(l -> l.startsWith("\tat ") || l.contains("smtp-watchdog ERROR")),
                "no stack trace and no agent error in the host's output: " + run.child().err());
    }

    private static synchronized MatrixRun run(Path jdk) throws Exception {
        MatrixRun run = RUNS.get(jdk);
        if (run == null) {
            run = new MatrixRun();
            RUNS.put(jdk, run);
            for (Row row : Row.values()) {
                run.row(row.label, Peer.start(peer(row)), "127.0.0.1", "plain", 0, 0, 1);
            }
            run.start(ChildJvm.on(jdk).agent("bannerTimeout=2s,slotGrace=300ms," + MatrixRun.DECLARATIONS));
        }
        return run;
    }

    private static Peer.Behaviour peer(Row row) {
        return s -> {
            OutputStream out = s.getOutputStream();
            out.write(row.sends);
            out.flush();
            switch (row.then) {
                case SILENCE -> {
                    // the peer drains until the client goes away
                }
                case ANSWER_QUIT -> Peer.answerQuit(s);
                case CLOSE -> s.close();
                default -> throw new AssertionError(row.then);
            }
        };
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** 1 MiB of one line with no line end: the agent must not buffer it, and it is no greeting. */
    private static byte[] overlong() {
        byte[] b = new byte[1 << 20];
        Arrays.fill(b, (byte) 'x');
        System.arraycopy(ascii("220 "), 0, b, 0, 4); // even a good start does not end the wait without its LF
        return b;
    }
}

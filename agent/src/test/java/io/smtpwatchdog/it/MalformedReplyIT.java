package io.smtpwatchdog.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
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
 * R5, peers: malformed replies after the greeting, here to {@code MAIL FROM}. A reply ends at its final line, as the
 * greeting does; whatever else a peer sends keeps the wait going until {@code mailTimeout}, dripped or not, and a peer
 * that closes early just ends the connection. Each row's agent outcome is exact, and for every row the host sees no
 * exception but its own socket's, and nothing is left held or open. All rows run at once in one child JVM per JDK,
 * with 2 s deadlines.
 */
class MalformedReplyIT {
    private static final Map<Path, MatrixRun> RUNS = new HashMap<>();

    enum Expect { REAPED, ACCEPTED, PEER_CLOSED }

    /**
     * The rows, named as in the table of docs/evidence.md: what the peer answers MAIL with, what it does next, the
     * outcome.
     */
    enum Row {
        GARBAGE("reply-garbage", ascii("HELLO? not a reply\r\nnor this\r\n"), Then.SILENCE, Expect.REAPED),
        BINARY_NUL("reply-binary-nul", new byte[] {0, 0, '2', '5', '0', 0, ' ', 'x', '\r', '\n', 0}, Then.SILENCE,
                Expect.REAPED),
        OVERLONG_NO_CRLF("reply-overlong-no-crlf", overlong(), Then.SILENCE, Expect.REAPED),
        CODE_WITHOUT_SPACE("reply-250-then-silence", ascii("250"), Then.SILENCE, Expect.REAPED),
        FOUR_DIGITS("reply-2500-x", ascii("2500 x\r\n"), Then.SILENCE, Expect.REAPED),
        MULTILINE_UNFINISHED("reply-multiline-unfinished", ascii("250-ok\r\n250-still going\r\n"), Then.SILENCE,
                Expect.REAPED),
        DRIP("reply-drip", null, Then.DRIP, Expect.REAPED),
        BARE_LF("reply-bare-lf", ascii("250 ok\n"), Then.ANSWER_REST, Expect.ACCEPTED),
        REFUSAL_550("reply-550", ascii("550 5.7.1 not from you\r\n"), Then.ANSWER_REST, Expect.ACCEPTED),
        CLOSE_MID_LINE("reply-close-mid-line", ascii("250 o"), Then.CLOSE, Expect.PEER_CLOSED);

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

    /** What the peer does once it has answered MAIL. */
    enum Then { SILENCE, ANSWER_REST, CLOSE, DRIP }

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
        assertEquals(0, c.get("slotsRecovered"), "after its greeting the host gives its slot back itself: " + c);
        switch (row.expect) {
            case REAPED -> {
                assertTrue(outcome.startsWith("SESSION-FAILED GREETING[220 ok] java.net.SocketException"),
                        "the reaper ended it: " + outcome);
                assertTrue(MatrixRun.millis(outcome) >= 2000, "not before the deadline: " + outcome);
                assertEquals(1, c.get("reaped"), c.toString());
                assertEquals(1, c.get("reapedMail"), c.toString());
                assertEquals(1, run.reapLines(r), "one reap line for " + r);
            }
            case ACCEPTED -> {
                assertTrue(outcome.matches("GREETING\\[220 ok] MAIL\\[\\d{3} .*] .*QUIT\\[221 .*"),
                        "a reply, then the rest: " + outcome);
                assertEquals(0, c.get("reaped"), c.toString());
                assertEquals(0, c.get("overdue"), "the reply ended the wait: " + c);
            }
            case PEER_CLOSED -> {
                assertTrue(outcome.startsWith("SESSION-FAILED GREETING[220 ok] java.io.EOFException"), outcome);
                assertEquals(0, c.get("reaped"), c.toString());
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
                run.row(row.label, Peer.start(peer(row)), "127.0.0.1", "transaction", 0, 0, 1);
            }
            run.start(ChildJvm.on(jdk).agent("bannerTimeout=2s,slotGrace=300ms,mailTimeout=2s,commandTimeout=2s,"
                    + "rcptTimeout=2s,dataTimeout=2s,dataEndTimeout=2s," + MatrixRun.DECLARATIONS));
        }
        return run;
    }

    private static Peer.Behaviour peer(Row row) {
        return s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            Peer.reply(out, "220 ok");
            Peer.readLine(in); // EHLO
            Peer.reply(out, "250 ok");
            Peer.readLine(in); // MAIL
            if (row.sends != null) {
                out.write(row.sends);
                out.flush();
            }
            switch (row.then) {
                case SILENCE -> {
                    // the peer drains until the client goes away
                }
                case DRIP -> {
                    // A continuation line a byte per 300 ms: the reply never ends, each read brings something.
                    byte[] line = ascii("250-still thinking about it\r\n");
                    for (int i = 0; ; i++) {
                        out.write(line[i % line.length]);
                        out.flush();
                        Thread.sleep(300);
                    }
                }
                case ANSWER_REST -> answerRest(in, out);
                case CLOSE -> s.close();
                default -> throw new AssertionError(row.then);
            }
        };
    }

    /** RCPT, DATA (354, then the message to its dot), QUIT. */
    private static void answerRest(InputStream in, OutputStream out) throws Exception {
        for (String line; (line = Peer.readLine(in)) != null; ) {
            if (line.equalsIgnoreCase("QUIT")) {
                Peer.reply(out, "221 bye");
                return;
            }
            if (line.equalsIgnoreCase("DATA")) {
                Peer.reply(out, "354 go on");
                for (String body; (body = Peer.readLine(in)) != null && !body.equals("."); ) {
                    // the message is not kept
                }
            }
            Peer.reply(out, "250 ok");
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** 1 MiB of one line with no line end: the agent must not buffer it, and it is no reply. */
    private static byte[] overlong() {
        byte[] b = new byte[1 << 20];
        Arrays.fill(b, (byte) 'x');
        System.arraycopy(ascii("250 "), 0, b, 0, 4); // even a good start does not end the wait without its LF
        return b;
    }
}

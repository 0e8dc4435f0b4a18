package io.smtpwatchdog.track;

/**
 * Reads the commands a client writes, to know which reply it will wait for, and nothing else: of each line only the
 * command word is looked at (and a {@code BDAT}'s chunk size, to skip the chunk), never an address or the message.
 *
 * <p>Three modes follow the protocol: command lines; the message after a {@code 354}, scanned only for the lone dot
 * that ends it (dot-stuffed lines are not the end); and a {@code BDAT} chunk, skipped by its size (RFC 3030). A line
 * counts as a command when its first word is four to eight letters ended by a space or the line's end, as every SMTP
 * verb is; anything else (a client writing before it should, a stray line) starts no wait, so a misread stream can
 * only leave a wait unguarded, never invent one. The one exception is the line after a {@code 334} challenge to
 * {@code AUTH}: whatever it holds, it is an answer the server replies to.
 *
 * <p>Only the thread writing to the socket touches this, and writes to one socket are serialised by the JDK. A
 * {@link Session} is its own parser (it extends this class), and the state is kept in bytes, so that a connection in
 * session costs one small object more than one awaiting its greeting (P6: at most 256 B a connection).
 */
class Commands {
    /** Told of each command as its line ends. */
    interface Sink {
        void sent(int verb);

        /** The client started TLS this parser cannot see: nothing it writes can be followed any more. */
        void blind();
    }

    private static final byte COMMAND = 0;
    private static final byte BODY = 1;
    private static final byte CHUNK = 2;

    /** In a command line: where the first word stands. */
    private static final byte WORD = 0;
    private static final byte ARGUMENTS = 1;
    private static final byte NOT_A_COMMAND = 2;

    /** In the message: where the current line stands. */
    private static final byte LINE_START = 0;
    private static final byte MID_LINE = 1;
    private static final byte DOT = 2;
    private static final byte DOT_CR = 3;

    private byte mode = COMMAND;
    /** Whether the current command line has a byte yet. */
    private boolean lineStarted;
    private byte wordState = WORD;
    /** The first word's letters, upper case, eight at most (see {@link Verb#pack(long, byte)}). */
    private long word;
    /** How many letters the first word has, saturating. */
    private byte letters;
    /** The line's verb, once its word has ended. */
    private byte lineVerb = Verb.NONE;
    /** The next line answers a 334 challenge. */
    private boolean authLine;
    /** On a BDAT line its size argument (-1 before a digit); in a chunk, the bytes of it still to come. */
    private long chunk = -1;
    /** On a BDAT line, the word after the size, for LAST. */
    private int lastWord;
    private byte body = LINE_START;

    /** The client got a {@code 354}: what it writes next is the message. */
    void startMessage() {
        mode = BODY;
        body = LINE_START;
    }

    /** The client got a {@code 334}: its next line answers the challenge. */
    void expectAuthLine() {
        authLine = true;
    }

    void feed(byte[] b, int off, int n, Sink sink) {
        int i = off;
        int end = off + n;
        while (i < end) {
            if (mode == BODY) {
                i = message(b, i, end, sink);
            } else if (mode == CHUNK) {
                long skip = Math.min(chunk, end - i);
                chunk -= skip;
                i += (int) skip;
                if (chunk == 0) {
                    mode = COMMAND;
                    chunk = -1;
                }
            } else {
                if (!command(b[i++], sink)) {
                    return;
                }
            }
        }
    }

    /** Scans the message for its end; returns where it stopped. */
    private int message(byte[] b, int i, int end, Sink sink) {
        byte s = body;
        for (; i < end; i++) {
            byte c = b[i];
            if (s == MID_LINE) {
                if (c == '\n') {
                    s = LINE_START;
                }
            } else if (s == LINE_START) {
                s = c == '.' ? DOT : c == '\n' ? LINE_START : MID_LINE;
            } else if (c == '\n') {
                body = LINE_START;
                mode = COMMAND;
                startLine();
                sink.sent(Verb.END_OF_DATA);
                return i + 1;
            } else {
                s = s == DOT && c == '\r' ? DOT_CR : MID_LINE;
            }
        }
        body = s;
        return i;
    }

    /** One byte of a command line; false when the client turned out to speak TLS the parser cannot see. */
    private boolean command(byte c, Sink sink) {
        if (c == '\n') {
            endLine(sink);
            return true;
        }
        if (!lineStarted && c >= 20 && c <= 23 && !authLine) {
            sink.blind(); // a TLS record where a command should start: a handshake this parser was not told of
            mode = CHUNK;
            chunk = Long.MAX_VALUE;
            return false;
        }
        lineStarted = true;
        if (wordState == WORD) {
            boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            if (letter) {
                word = Verb.pack(word, c);
                if (letters < 9) {
                    letters++;
                }
            } else if ((c == ' ' || c == '\r') && letters >= 4) {
                wordState = ARGUMENTS;
                lineVerb = (byte) (letters > 8 ? Verb.OTHER : Verb.of(word));
            } else {
                wordState = NOT_A_COMMAND;
            }
        } else if (wordState == ARGUMENTS && lineVerb == Verb.BDAT) {
            bdatArgument(c);
        }
        return true;
    }

    /** {@code BDAT <size> [LAST]}: the size, then the word LAST. */
    private void bdatArgument(byte c) {
        if (c >= '0' && c <= '9' && lastWord == 0) {
            long size = chunk < 0 ? 0 : chunk;
            chunk = size > Long.MAX_VALUE / 10 - 10 ? size : size * 10 + (c - '0');
        } else if (c != ' ' && c != '\r' && chunk >= 0) {
            lastWord = (int) Verb.pack(lastWord, c);
        }
    }

    private void endLine(Sink sink) {
        boolean commandShaped = (wordState == WORD || wordState == ARGUMENTS) && letters >= 4;
        boolean answer = authLine;
        int verb = wordState == ARGUMENTS ? lineVerb : letters > 8 ? Verb.OTHER : Verb.of(word);
        long size = chunk;
        boolean last = lastWord == LAST;
        authLine = false;
        startLine();
        if (answer) {
            sink.sent(Verb.AUTH);
        } else if (commandShaped && verb == Verb.BDAT) {
            sink.sent(last ? Verb.BDAT_LAST : Verb.BDAT);
            if (size > 0) {
                mode = CHUNK;
                chunk = size;
            }
        } else if (commandShaped) {
            sink.sent(verb);
        }
    }

    private static final int LAST = (int) Verb.pack(Verb.pack(Verb.pack(Verb.pack(0, (byte) 'L'), (byte) 'A'),
            (byte) 'S'), (byte) 'T');

    private void startLine() {
        lineStarted = false;
        wordState = WORD;
        word = 0;
        letters = 0;
        lineVerb = Verb.NONE;
        chunk = -1;
        lastWord = 0;
    }
}

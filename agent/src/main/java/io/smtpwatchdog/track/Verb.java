package io.smtpwatchdog.track;

/**
 * What a client waits for the server to answer: the verb of a command it sent, or the TLS handshake after
 * {@code STARTTLS}. Small int codes, so that a session's queue of pending replies packs into one {@code long}
 * (see {@link Waits}). Only the verb is ever kept: arguments are addresses, and the message is personal data.
 */
final class Verb {
    static final int NONE = 0;
    static final int EHLO = 1;
    static final int HELO = 2;
    static final int MAIL = 3;
    static final int RCPT = 4;
    static final int DATA = 5;
    /** The lone dot that ends a message. */
    static final int END_OF_DATA = 6;
    static final int BDAT = 7;
    static final int BDAT_LAST = 8;
    static final int STARTTLS = 9;
    /** The TLS handshake a {@code 220} to STARTTLS starts; no command, but the client waits all the same. */
    static final int TLS_HANDSHAKE = 10;
    /** {@code AUTH}, and each line the client sends after a {@code 334} challenge. */
    static final int AUTH = 11;
    static final int RSET = 12;
    static final int NOOP = 13;
    static final int QUIT = 14;
    static final int VRFY = 15;
    static final int EXPN = 16;
    static final int HELP = 17;
    static final int LHLO = 18;
    /** A command word the agent does not know (an extension's); its reply is bounded as any command's. */
    static final int OTHER = 19;

    /** Codes fit in {@link Waits#BITS} bits. */
    static final int MAX = 31;

    private static final String[] NAMES = {"nothing", "EHLO", "HELO", "MAIL", "RCPT", "DATA", "end of data", "BDAT",
        "BDAT LAST", "STARTTLS", "TLS handshake", "AUTH", "RSET", "NOOP", "QUIT", "VRFY", "EXPN", "HELP", "LHLO",
        "a command"};

    /** The known words, upper case, packed as {@link #pack(long, byte)} does, index = code; 0 where none. */
    private static final long[] WORDS = new long[OTHER];

    static {
        for (int code = EHLO; code < OTHER; code++) {
            String name = NAMES[code];
            if (code == END_OF_DATA || code == TLS_HANDSHAKE || code == BDAT_LAST) {
                continue;
            }
            long w = 0;
            for (int i = 0; i < name.length(); i++) {
                w = pack(w, (byte) name.charAt(i));
            }
            WORDS[code] = w;
        }
    }

    private Verb() {
    }

    /** Appends one letter (any case) to a word of at most eight letters, upper case. */
    static long pack(long word, byte letter) {
        return (word << 8) | (letter & 0xDF);
    }

    /** The code of a command word packed by {@link #pack(long, byte)}; {@link #OTHER} if unknown. */
    static int of(long word) {
        for (int code = EHLO; code < OTHER; code++) {
            if (WORDS[code] == word) {
                return code;
            }
        }
        return OTHER;
    }

    static String name(int code) {
        return code >= 0 && code < NAMES.length ? NAMES[code] : "a command";
    }

    /** Which deadline bounds the wait for the reply to {@code code}. */
    static Phase phase(int code) {
        switch (code) {
            case MAIL:
                return Phase.MAIL;
            case RCPT:
                return Phase.RCPT;
            case DATA:
                return Phase.DATA;
            case END_OF_DATA:
            case BDAT_LAST:
                return Phase.DATA_END;
            default:
                return Phase.COMMAND;
        }
    }
}

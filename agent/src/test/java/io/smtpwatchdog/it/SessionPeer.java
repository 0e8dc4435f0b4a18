package io.smtpwatchdog.it;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Mail servers that greet at once but are slow, or silent, later in the session: the peers for reply deadlines after
 * the greeting. Each is a {@link Peer.Behaviour}, run with {@code Peer.start(...)}; like every peer it keeps reading
 * after it stops replying, so the connection stays open on its side until the client closes or resets it, and
 * {@link Peer#awaitOpen} tells when that happened.
 * <p>
 * One session engine serves them all: a {@code 220} greeting, a multi-line EHLO reply, HELO, STARTTLS (when offered;
 * the handshake in server mode with {@link TestTls}'s certificate, then the session goes on inside TLS), MAIL, RCPT,
 * DATA ({@code 354}, the message up to its lone dot, then the reply to the dot), RSET, NOOP and QUIT; commands are
 * read one line at a time as they arrive, so a pipelined group is answered command by command, in order. Before each
 * reply it asks a {@link Timing} how long to wait; {@link #NEVER} means it never replies, and from then on only reads.
 * The reply points, as Timing sees them: {@code GREETING}, {@code EHLO}, {@code HELO}, {@code STARTTLS},
 * {@code HANDSHAKE} (the peer's part in the TLS handshake after its {@code 220} to STARTTLS), {@code MAIL},
 * {@code RCPT}, {@code DATA}, {@code DOT} (the reply after the message's lone dot), {@code RSET}, {@code NOOP},
 * {@code QUIT}, and any other command by its first four letters in upper case.
 */
public final class SessionPeer {
    /** The delay that means "never": the peer stops replying there and only reads. */
    public static final Duration NEVER = ChronoUnit.FOREVER.getDuration();

    /** Where {@link #stallAt(Stall)} goes silent. */
    public enum Stall {
        /** No reply to EHLO, nor to HELO (Commons Net's {@code login} says HELO). */
        EHLO,
        MAIL,
        /** No reply to the first RCPT. */
        RCPT,
        /** No reply to DATA: no {@code 354}. */
        DATA,
        /** {@code 354} to DATA, the message read up to its lone dot, then no reply. */
        END_OF_DATA,
        /** STARTTLS advertised and answered {@code 220 go ahead}; then no part in the handshake: its bytes are read
         * and dropped. */
        STARTTLS_HANDSHAKE
    }

    /** How long the peer waits before a reply; {@link #NEVER} for no reply at all. */
    @FunctionalInterface
    public interface Timing {
        /**
         * The wait before the reply at {@code point} (see {@link SessionPeer}), the {@code nth} time (from 1) it comes
         * up on this connection.
         */
        Duration before(String point, int nth);

        static Timing prompt() {
            return (point, nth) -> Duration.ZERO;
        }

        /** The same wait before every reply, the greeting included. */
        static Timing every(Duration delay) {
            return (point, nth) -> delay;
        }

        /** A wait by reply point ({@code "MAIL"}, {@code "RCPT"}, ...; {@link #NEVER} allowed); none for the rest. */
        static Timing byPoint(Map<String, Duration> delays) {
            Map<String, Duration> copy = new HashMap<>(delays);
            return (point, nth) -> copy.getOrDefault(point, Duration.ZERO);
        }

        /** This timing, but no reply at all the {@code nth} time {@code point} comes up. */
        default Timing stallingAt(String point, int nth) {
            return (p, n) -> p.equals(point) && n == nth ? NEVER : before(p, n);
        }
    }

    private SessionPeer() {
    }

    /**
     * A healthy session that goes silent at {@code phase}: every earlier reply comes at once. It offers STARTTLS only
     * for {@link Stall#STARTTLS_HANDSHAKE}.
     */
    public static Peer.Behaviour stallAt(Stall phase) {
        return stallAt(phase, new ConcurrentLinkedQueue<>());
    }

    /** {@link #stallAt(Stall)}, with the peer's {@code transcript} (see {@link #session}). */
    public static Peer.Behaviour stallAt(Stall phase, Collection<String> transcript) {
        Timing t = Timing.prompt();
        switch (phase) {
            case EHLO:
                t = t.stallingAt("EHLO", 1).stallingAt("HELO", 1);
                break;
            case MAIL:
                t = t.stallingAt("MAIL", 1);
                break;
            case RCPT:
                t = t.stallingAt("RCPT", 1);
                break;
            case DATA:
                t = t.stallingAt("DATA", 1);
                break;
            case END_OF_DATA:
                t = t.stallingAt("DOT", 1);
                break;
            case STARTTLS_HANDSHAKE:
                t = t.stallingAt("HANDSHAKE", 1);
                break;
            default:
                throw new IllegalArgumentException(phase.toString());
        }
        return session(phase == Stall.STARTTLS_HANDSHAKE, false, t, new ConcurrentLinkedQueue<>(), transcript);
    }

    /** A healthy session, STARTTLS offered or not; completed transactions go to {@code envelopes}. */
    public static Peer.Behaviour smtp(Collection<String> envelopes, boolean startTls) {
        return session(startTls, false, Timing.prompt(), envelopes, new ConcurrentLinkedQueue<>());
    }

    /** A healthy session, without STARTTLS, that waits {@code delay} before every reply, the greeting included. */
    public static Peer.Behaviour late(Duration delay, Collection<String> envelopes) {
        return late(delay, envelopes, false);
    }

    /**
     * A healthy session that waits {@code delay} before every reply, the greeting included; with {@code startTls} it
     * offers STARTTLS (the handshake itself is not delayed).
     */
    public static Peer.Behaviour late(Duration delay, Collection<String> envelopes, boolean startTls) {
        Timing t = (point, nth) -> point.equals("HANDSHAKE") ? Duration.ZERO : delay;
        return session(startTls, false, t, envelopes, new ConcurrentLinkedQueue<>());
    }

    /**
     * A healthy session that advertises PIPELINING, with a wait before the replies of the given points, e.g.
     * {@code Map.of("RCPT", Duration.ofSeconds(3))}, or {@code Map.of("DATA", NEVER)}.
     */
    public static Peer.Behaviour pipelining(Map<String, Duration> delays, Collection<String> envelopes) {
        return pipelining(Timing.byPoint(delays), envelopes);
    }

    /**
     * A healthy session that advertises PIPELINING with any timing, e.g. no reply to the second RCPT:
     * {@code Timing.prompt().stallingAt("RCPT", 2)}.
     */
    public static Peer.Behaviour pipelining(Timing timing, Collection<String> envelopes) {
        return session(false, true, timing, envelopes, new ConcurrentLinkedQueue<>());
    }

    /**
     * The engine behind every peer here. {@code envelopes} gets {@code FROM <sender> TO <rcpt>,<rcpt>} for each
     * transaction whose dot was answered; {@code transcript} gets each command line as read (no message lines), plus
     * {@code STALL <point>} when the peer goes silent, so a test can tell the client got as far as the stall.
     */
    public static Peer.Behaviour session(boolean startTls, boolean pipelining, Timing timing,
                                         Collection<String> envelopes, Collection<String> transcript) {
        SSLContext tlsContext;
        try {
            tlsContext = startTls ? StartTlsPeer.serverContext() : null;
        } catch (Exception e) {
            throw new IllegalStateException("no TLS context for the STARTTLS peer", e);
        }
        return s -> new Session(s, startTls, pipelining, timing, envelopes, transcript, tlsContext).run();
    }

    /** One connection's session; {@link #run} returns when the peer is done replying (QUIT, a stall, or EOF). */
    private static final class Session {
        private final Socket raw;
        private final boolean pipelining;
        private final Timing timing;
        private final Collection<String> envelopes;
        private final Collection<String> transcript;
        private final SSLContext tlsContext;
        private final Map<String, Integer> seen = new HashMap<>();
        private InputStream in;
        private OutputStream out;
        private boolean tlsOffered;

        Session(Socket raw, boolean startTls, boolean pipelining, Timing timing, Collection<String> envelopes,
                Collection<String> transcript, SSLContext tlsContext) throws Exception {
            this.raw = raw;
            this.pipelining = pipelining;
            this.timing = timing;
            this.envelopes = envelopes;
            this.transcript = transcript;
            this.tlsContext = tlsContext;
            this.tlsOffered = startTls;
            this.in = raw.getInputStream();
            this.out = raw.getOutputStream();
        }

        /** Waits before the reply at {@code point}; false when the peer must never reply there. */
        private boolean await(String point) throws InterruptedException {
            int nth = seen.merge(point, 1, Integer::sum);
            Duration d = timing.before(point, nth);
            if (NEVER.equals(d)) {
                transcript.add("STALL " + point);
                return false;
            }
            if (!d.isZero() && !d.isNegative()) {
                Thread.sleep(d.toMillis());
            }
            return true;
        }

        private boolean reply(String point, String text) throws Exception {
            if (!await(point)) {
                return false;
            }
            Peer.reply(out, text);
            return true;
        }

        void run() throws Exception {
            if (!reply("GREETING", "220 peer.example ESMTP ready")) {
                return;
            }
            String from = null;
            List<String> to = new java.util.ArrayList<>();
            for (String line; (line = Peer.readLine(in)) != null; ) {
                transcript.add(line);
                String verb = line.length() < 4 ? line.toUpperCase() : line.substring(0, 4).toUpperCase();
                boolean more;
                switch (verb) {
                    case "EHLO":
                        more = reply("EHLO", "250-peer.example greets you\r\n"
                                + (pipelining ? "250-PIPELINING\r\n" : "")
                                + (tlsOffered ? "250-STARTTLS\r\n" : "")
                                + "250-8BITMIME\r\n250-SIZE 10485760\r\n250 HELP");
                        break;
                    case "HELO":
                        more = reply("HELO", "250 peer.example");
                        break;
                    case "STAR":
                        if (!tlsOffered || !line.equalsIgnoreCase("STARTTLS")) {
                            more = reply(verb, "502 5.5.2 not implemented");
                            break;
                        }
                        more = reply("STARTTLS", "220 2.0.0 go ahead") && await("HANDSHAKE");
                        if (more) {
                            SSLSocket tls = (SSLSocket) tlsContext.getSocketFactory()
                                    .createSocket(raw, null, raw.getPort(), true);
                            tls.setUseClientMode(false);
                            tls.startHandshake();
                            in = tls.getInputStream();
                            out = tls.getOutputStream();
                            tlsOffered = false; // RFC 3207: forget the session, offer TLS no more
                            from = null;
                            to.clear();
                        }
                        break;
                    case "MAIL":
                        from = line.substring(line.indexOf(':') + 1).trim();
                        to.clear();
                        more = reply("MAIL", "250 2.1.0 ok");
                        break;
                    case "RCPT":
                        to.add(line.substring(line.indexOf(':') + 1).trim());
                        more = reply("RCPT", "250 2.1.5 ok");
                        break;
                    case "DATA":
                        more = reply("DATA", "354 end with <CRLF>.<CRLF>");
                        if (more) {
                            String body;
                            while ((body = Peer.readLine(in)) != null && !body.equals(".")) {
                                // the message itself is not kept
                            }
                            if (body == null) {
                                return;
                            }
                            more = reply("DOT", "250 2.0.0 queued");
                            if (more) {
                                envelopes.add("FROM " + from + " TO " + String.join(",", to));
                            }
                        }
                        break;
                    case "RSET":
                        from = null;
                        to.clear();
                        more = reply("RSET", "250 2.0.0 ok");
                        break;
                    case "NOOP":
                        more = reply("NOOP", "250 2.0.0 ok");
                        break;
                    case "QUIT":
                        reply("QUIT", "221 2.0.0 bye");
                        return;
                    default:
                        more = reply(verb, "502 5.5.2 not implemented");
                }
                if (!more) {
                    return; // silent from here: Peer reads and drops whatever comes until the client leaves
                }
            }
        }
    }
}

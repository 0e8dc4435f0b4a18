package io.smtpwatchdog.demo.outbound;

import io.smtpwatchdog.demo.Log;
import io.smtpwatchdog.demo.smtp.CrlfLineReader;
import io.smtpwatchdog.demo.smtp.DotStuffing;
import io.smtpwatchdog.demo.smtp.Reply;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The relay's SMTP client: one session per delivery over a plain blocking {@link Socket}, the way mail
 * programs were written before NIO.
 *
 * <p>It carries the two defects of Microsoft KB Q175982 on purpose, marked DEFECT 1 and DEFECT 2 below:
 * against a host that accepts the connection and never greets, the delivery thread waits forever, and the
 * domain's connection slot is lost even when something does end that wait. {@link ClientSettings#fixed()}
 * turns on the corrected behaviour, to show the difference. The SMTP Watchdog agent is meant to cure the
 * legacy behaviour without touching this code.
 */
public final class OutboundClient {
    private final String heloName;
    private final ConnectionLimiter limiter;
    private final ClientSettings settings;

    /** A client that says {@code EHLO heloName} and returns slots to {@code limiter}. */
    public OutboundClient(String heloName, ConnectionLimiter limiter, ClientSettings settings) {
        this.heloName = heloName;
        this.limiter = limiter;
        this.settings = settings;
    }

    /** The limiter whose slots this client gives back. */
    ConnectionLimiter limiter() {
        return limiter;
    }

    /**
     * Delivers one message to the recipients of one domain. The caller has taken a slot for {@code domain}
     * from the limiter; this method owns it from here and releases it when the session ends.
     */
    public Attempt deliver(String domain, Route route, String from, List<String> recipients, byte[] data) {
        boolean releaseSlot = true;
        try {
            return session(domain, route, from, recipients, data);
        } catch (GreetingFailure e) {
            Log.info("%s: %s", domain, e.getMessage());
            // DEFECT 2: the slot goes back on every path the original author saw fail (connection refused,
            // 4xx and 5xx replies) but not on this one: in their tests the greeting wait never ended (DEFECT 1),
            // so its exception path never ran. Once something ends that wait, each occurrence leaks a slot of
            // the domain for good, and after per-domain-limit of them the domain gets no connection until
            // restart. The fixed client releases in the finally below on every path.
            releaseSlot = settings.fixed();
            return Attempt.all(recipients, Attempt.Outcome.DEFERRED, e.getMessage());
        } finally {
            if (releaseSlot) {
                limiter.release(domain);
            }
        }
    }

    private Attempt session(String domain, Route route, String from, List<String> recipients, byte[] data)
            throws GreetingFailure {
        Socket socket;
        try {
            socket = connect(domain, route);
        } catch (IOException e) {
            return Attempt.all(recipients, Attempt.Outcome.DEFERRED, "connect failed: " + e);
        }
        Map<String, Attempt.Outcome> outcomes = new LinkedHashMap<>();
        try (socket) {
            CrlfLineReader in = new CrlfLineReader(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            Reply greeting = awaitGreeting(domain, socket, in);
            socket.setSoTimeout((int) settings.replyTimeout().toMillis());
            if (!greeting.positive()) {
                quietly(out, in);
                return Attempt.all(recipients, outcomeOf(greeting), "greeting: " + greeting);
            }
            Reply reply = command(out, in, "EHLO " + heloName);
            if (!reply.positive()) {
                reply = command(out, in, "HELO " + heloName);
            }
            if (!reply.positive()) {
                quietly(out, in);
                return Attempt.all(recipients, outcomeOf(reply), "HELO: " + reply);
            }
            reply = command(out, in, "MAIL FROM:<" + from + ">");
            if (!reply.positive()) {
                quietly(out, in);
                return Attempt.all(recipients, outcomeOf(reply), "MAIL: " + reply);
            }
            String detail = "";
            List<String> accepted = new ArrayList<>();
            for (String recipient : recipients) {
                reply = command(out, in, "RCPT TO:<" + recipient + ">");
                if (reply.positive()) {
                    accepted.add(recipient);
                } else {
                    outcomes.put(recipient, outcomeOf(reply));
                    detail = "RCPT " + recipient + ": " + reply;
                }
            }
            if (accepted.isEmpty()) {
                quietly(out, in);
                return new Attempt(outcomes, detail);
            }
            reply = command(out, in, "DATA");
            if (reply.code() != 354) {
                quietly(out, in);
                Attempt.Outcome outcome = reply.permanentFailure() ? Attempt.Outcome.REJECTED : Attempt.Outcome.DEFERRED;
                accepted.forEach(r -> outcomes.put(r, outcome));
                return new Attempt(outcomes, "DATA: " + reply);
            }
            DotStuffing.write(data, out);
            out.flush();
            reply = Reply.read(in);
            Attempt.Outcome outcome = outcomeOf(reply);
            accepted.forEach(r -> outcomes.put(r, outcome));
            quietly(out, in);
            return new Attempt(outcomes, outcome == Attempt.Outcome.DELIVERED ? detail : "end of data: " + reply);
        } catch (IOException e) {
            // Trouble after the greeting: whoever has no outcome yet is tried again later. Trouble while
            // waiting for the reply to the final dot is the at-least-once window of RFC 5321 §6.1.
            for (String recipient : recipients) {
                outcomes.putIfAbsent(recipient, Attempt.Outcome.DEFERRED);
            }
            return new Attempt(outcomes, "session failed: " + e);
        }
    }

    private Socket connect(String domain, Route route) throws IOException {
        IOException last = null;
        for (InetSocketAddress host : route.hosts()) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(host.getHostString(), host.getPort()),
                        (int) settings.connectTimeout().toMillis());
                Log.info("%s: connected to %s, waiting for the greeting", domain, hostPort(host));
                return socket;
            } catch (IOException e) {
                socket.close();
                Log.info("%s: cannot connect to %s: %s", domain, hostPort(host), e);
                last = e;
            }
        }
        throw last;
    }

    private Reply awaitGreeting(String domain, Socket socket, CrlfLineReader in) throws GreetingFailure {
        try {
            if (settings.fixed()) {
                socket.setSoTimeout((int) settings.greetingTimeout().toMillis());
            } else {
                // DEFECT 1 (KB Q175982): SO_TIMEOUT 0 means the read below waits for ever. A remote host that
                // accepts the TCP connection and never sends its 220 greeting (a tarpit, a hung MTA, a
                // half-dead firewall) keeps this delivery thread here until the process is restarted.
                socket.setSoTimeout(0);
            }
            return Reply.read(in);
        } catch (IOException e) {
            throw new GreetingFailure("no greeting from " + hostPort(socket.getRemoteSocketAddress()) + ": " + e, e);
        }
    }

    private static Reply command(OutputStream out, CrlfLineReader in, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return Reply.read(in);
    }

    /** QUIT is a courtesy: the outcome is decided already, so a failure here changes nothing. */
    private static void quietly(OutputStream out, CrlfLineReader in) {
        try {
            command(out, in, "QUIT");
        } catch (IOException ignored) {
            // As above.
        }
    }

    private static Attempt.Outcome outcomeOf(Reply reply) {
        if (reply.positive()) {
            return Attempt.Outcome.DELIVERED;
        }
        return reply.permanentFailure() ? Attempt.Outcome.REJECTED : Attempt.Outcome.DEFERRED;
    }

    private static String hostPort(Object address) {
        if (address instanceof InetSocketAddress a) {
            return a.getHostString() + ":" + a.getPort();
        }
        return String.valueOf(address);
    }
}

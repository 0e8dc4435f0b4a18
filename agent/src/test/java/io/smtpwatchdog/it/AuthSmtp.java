package io.smtpwatchdog.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A mail server that requires AUTH PLAIN or AUTH LOGIN (RFC 4616, and the LOGIN draft that every client speaks), for
 * a {@link Peer}. It remembers what crossed the wire: the base64 tokens of each AUTH, the mechanisms whose password
 * matched, and each message's text, so a test can prove that the secrets it looks for in the logs really went
 * through the watched connection.
 */
final class AuthSmtp implements Peer.Behaviour {
    private static final String USERNAME_PROMPT = "334 " + b64("Username:");
    private static final String PASSWORD_PROMPT = "334 " + b64("Password:");

    private final String password;
    /** Every base64 line a client sent during an AUTH exchange, exactly as sent. */
    final List<String> authTokens = new CopyOnWriteArrayList<>();
    /** The mechanisms with which a client gave the right password, in order. */
    final List<String> authenticated = new CopyOnWriteArrayList<>();
    /** The text of every message that reached the end of its DATA. */
    final List<String> messages = new CopyOnWriteArrayList<>();

    AuthSmtp(String password) {
        this.password = password;
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void serve(Socket s) throws Exception {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        Peer.reply(out, "220 auth.example ESMTP ready");
        for (String line; (line = Peer.readLine(in)) != null; ) {
            String[] words = line.split(" ");
            switch (words[0].toUpperCase(Locale.ROOT)) {
                case "EHLO":
                    Peer.reply(out, "250-auth.example\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME");
                    break;
                case "AUTH":
                    Peer.reply(out, auth(words, in, out) ? "235 2.7.0 authenticated" : "535 5.7.8 bad credentials");
                    break;
                case "MAIL":
                case "RCPT":
                case "RSET":
                case "NOOP":
                    Peer.reply(out, "250 2.0.0 ok");
                    break;
                case "DATA":
                    Peer.reply(out, "354 end with <CRLF>.<CRLF>");
                    StringBuilder text = new StringBuilder();
                    for (String body; (body = Peer.readLine(in)) != null && !body.equals("."); ) {
                        text.append(body).append('\n');
                    }
                    messages.add(text.toString());
                    Peer.reply(out, "250 2.0.0 queued");
                    break;
                case "QUIT":
                    Peer.reply(out, "221 2.0.0 bye");
                    return;
                default:
                    Peer.reply(out, "502 5.5.2 not implemented");
            }
        }
    }

    /** One AUTH exchange; true when the password matched. */
    private boolean auth(String[] words, InputStream in, OutputStream out) throws IOException {
        String mechanism = words.length > 1 ? words[1].toUpperCase(Locale.ROOT) : "";
        String given;
        if (mechanism.equals("PLAIN")) {
            // authzid NUL authcid NUL passwd, with or without the initial response on the AUTH line
            String token = words.length > 2 ? initial(words[2]) : prompt(out, in, "334 ");
            String[] parts = decode(token).split("\0", -1);
            given = parts.length == 3 ? parts[2] : null;
        } else if (mechanism.equals("LOGIN")) {
            if (words.length > 2) {
                initial(words[2]);
            } else {
                prompt(out, in, USERNAME_PROMPT);
            }
            given = decode(prompt(out, in, PASSWORD_PROMPT));
        } else {
            return false;
        }
        boolean ok = password.equals(given);
        if (ok) {
            authenticated.add(mechanism);
        }
        return ok;
    }

    private String prompt(OutputStream out, InputStream in, String challenge) throws IOException {
        Peer.reply(out, challenge);
        String token = Peer.readLine(in);
        authTokens.add(token);
        return token;
    }

    private String initial(String token) {
        authTokens.add(token);
        return token;
    }

    private static String decode(String token) {
        try {
            return new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}

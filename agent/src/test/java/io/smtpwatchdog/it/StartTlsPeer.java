package io.smtpwatchdog.it;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A mail server that offers STARTTLS (RFC 3207) on a plain port: greeting and EHLO in clear, then {@code 220} to
 * STARTTLS, the TLS handshake on the same connection, and EHLO and QUIT inside TLS. It uses {@link TestTls}'s
 * certificate, so children with {@link TestTls#trustFlags()} trust it.
 */
final class StartTlsPeer {
    /** TestTls's keystore password. */
    private static final char[] PASSWORD = "changeit".toCharArray();

    private StartTlsPeer() {
    }

    static Peer.Behaviour behaviour() throws Exception {
        SSLContext ctx = serverContext();
        return s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            Peer.reply(out, "220 starttls.example ESMTP");
            for (String line; (line = Peer.readLine(in)) != null; ) {
                if (line.toUpperCase().startsWith("EHLO")) {
                    Peer.reply(out, "250-starttls.example\r\n250 STARTTLS");
                } else if (line.equalsIgnoreCase("STARTTLS")) {
                    Peer.reply(out, "220 2.0.0 go ahead");
                    SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(s, null, s.getPort(), true);
                    tls.setUseClientMode(false);
                    tls.startHandshake();
                    in = tls.getInputStream();
                    out = tls.getOutputStream();
                } else if (line.equalsIgnoreCase("QUIT")) {
                    Peer.reply(out, "221 2.0.0 bye");
                    return;
                } else {
                    Peer.reply(out, "502 5.5.2 not here");
                }
            }
        };
    }

    /** A server-side context with TestTls's certificate, for peers that switch to TLS mid-session. */
    static SSLContext serverContext() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(TestTls.keystore())) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}

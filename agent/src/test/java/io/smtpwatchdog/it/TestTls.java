package io.smtpwatchdog.it;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A throwaway self-signed certificate for localhost, made with the JDK's keytool, for implicit-TLS peers; child JVMs
 * trust it through the standard {@code javax.net.ssl.trustStore} properties.
 */
public final class TestTls {
    private static final String PASSWORD = "changeit";
    private static Path keystore;

    private TestTls() {
    }

    public static synchronized Path keystore() throws Exception {
        if (keystore == null) {
            Path dir = Files.createTempDirectory("smtp-watchdog-tls");
            Path ks = dir.resolve("localhost.p12");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "smtp", "-keyalg", "RSA",
                    "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost", "-ext",
                    "san=dns:localhost,ip:127.0.0.1", "-keystore", ks.toString(), "-storetype", "PKCS12",
                    "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            keystore = ks;
        }
        return keystore;
    }

    /** JVM flags that make a child trust the test certificate. */
    public static List<String> trustFlags() throws Exception {
        return List.of("-Djavax.net.ssl.trustStore=" + keystore(), "-Djavax.net.ssl.trustStorePassword=" + PASSWORD,
                "-Djavax.net.ssl.trustStoreType=PKCS12");
    }

    /** An implicit-TLS server socket on an ephemeral loopback port. */
    public static ServerSocket serverSocket() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore())) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /** A healthy implicit-TLS mail server: handshake, then {@link Peer#smtp(java.util.Collection)}. */
    public static Peer.Behaviour smtp(java.util.Collection<String> envelopes) {
        Peer.Behaviour plain = Peer.smtp(envelopes);
        return s -> {
            ((SSLSocket) s).startHandshake();
            plain.serve(s);
        };
    }

    /** A TLS tarpit that completes the handshake and then never greets: the raw reads see TLS records only. */
    public static Peer.Behaviour silentAfterHandshake() {
        return s -> ((SSLSocket) s).startHandshake();
    }

    /** A TLS greeter: handshake, then the greeting, then QUIT. */
    public static Peer.Behaviour greeter(String greeting) {
        return s -> {
            ((SSLSocket) s).startHandshake();
            s.getOutputStream().write(greeting.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            Peer.answerQuit(s);
        };
    }
}

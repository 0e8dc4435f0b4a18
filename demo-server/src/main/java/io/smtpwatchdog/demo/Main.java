package io.smtpwatchdog.demo;

import io.smtpwatchdog.demo.demo.DemoRun;
import io.smtpwatchdog.demo.outbound.ClientSettings;
import io.smtpwatchdog.demo.outbound.Routes;
import io.smtpwatchdog.demo.outbound.RoutesException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point: the relay on its own ({@code --routes FILE}), or the self-contained demo ({@code --demo}).
 *
 * <p>Exit codes: 0 after a demo or {@code --help}; 1 when the relay cannot start (port taken, spool
 * unreadable); 2 for a bad command line or routes file.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        Options options;
        Routes routes = null;
        try {
            options = Options.parse(args);
            if (options.help()) {
                out.println(Options.usage());
                out.flush();
                System.exit(0);
            }
            if (!options.demo()) {
                routes = Routes.load(options.routes());
            }
        } catch (UsageException e) {
            fail(2, e.getMessage());
            return;
        } catch (RoutesException e) {
            fail(2, "--routes: " + e.getMessage());
            return;
        }
        try {
            if (options.demo()) {
                new DemoRun(options, out).run();
                // Delivery threads may be stuck in a greeting wait for good; that is the point of the demo,
                // and the reason it ends the JVM instead of waiting for them.
                System.exit(0);
            }
            serve(options, routes, out);
        } catch (IOException e) {
            fail(1, "cannot start: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(1, "interrupted");
        }
    }

    private static void serve(Options options, Routes routes, PrintStream out)
            throws IOException, InterruptedException {
        ClientSettings client = new ClientSettings(options.fixedClient(), options.connectTimeout(),
                options.greetingTimeout(), options.replyTimeout());
        Relay relay = Relay.start(new RelayConfig(options.port(), options.spool(), routes, options.threads(),
                options.perDomainLimit(), options.retryBase(), options.maxAttempts(), options.maxMessageSize(),
                client, options.statusInterval(), out));
        Runtime.getRuntime().addShutdownHook(new Thread(relay::printStatus, "status-at-exit"));
        out.println("LISTENING " + relay.address().getAddress().getHostAddress() + ":" + relay.address().getPort());
        out.flush();
        new CountDownLatch(1).await();
    }

    /** The operator wants what and why; exception class names and stack traces are for developers. */
    static String describe(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file or directory";
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "cannot be used");
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void fail(int code, String message) {
        System.err.println("demo-server: " + message);
        System.err.flush();
        System.exit(code);
    }
}

package io.smtpwatchdog.it.child;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A host whose stderr blocks forever, as a full pipe nobody reads does, while the agent has lines to log. With
 * {@code blocked}, {@link System#err} becomes a stream whose write parks for good; with {@code normal} it is left
 * alone, as the control. Then, each step on a host thread of its own that the host waits for at most 20 s:
 * a declared delivery class is loaded (the agent logs its hook on the loading thread) and delivers to a healthy
 * peer; two connections to a tarpit on a watched port wait for a greeting with no timeout (the reaper logs each
 * reap before it aborts the socket); a last healthy delivery; and just before {@link System#exit} a second declared
 * class is loaded, whose line must still come out on a working stderr.
 * Usage: {@code host smtpPort tarpitPort blocked|normal}.
 *
 * <p>Prints {@code LOGGING <outcome>}, {@code PARKED <bool>} (blocked only: the agent's writer is inside the
 * host's stderr), {@code TARPIT <n> <outcome>}, {@code AFTER <outcome>}, the agent's counters, and {@code EXITING}.
 * An outcome is {@code delivered after <ms> ms}, {@code reaped after <ms> ms}, {@code stuck} (the thread had not
 * returned after 20 s) or {@code failed <exception>}.
 */
public final class BlockedStderrHost {
    private static final long STEP_MILLIS = 20_000;

    /** A declared delivery method: its class loads on the first delivery, on the host's thread. */
    public static final class Relay {
        public static void deliver(String domain, String host, int port) throws Exception {
            FailingLogHost.session(host, port);
        }
    }

    /** As {@link Relay}; loaded just before the host exits. */
    public static final class LastWords {
        public static void deliver(String domain, String host, int port) throws Exception {
            FailingLogHost.session(host, port);
        }
    }

    /** A stderr whose every write parks its thread for good, and which tells when the first one did. */
    static final class ParkingStderr extends OutputStream {
        final CountDownLatch entered = new CountDownLatch(1);

        @Override
        public void write(int b) {
            park();
        }

        @Override
        public void write(byte[] b, int off, int len) {
            park();
        }

        private void park() {
            entered.countDown();
            while (true) {
                LockSupport.park(this);
            }
        }
    }

    /** Runs {@code step} on a new host thread named {@code name}; its outcome, or {@code stuck}. */
    private static String onHostThread(String name, Callable<String> step) throws InterruptedException {
        AtomicReference<String> outcome = new AtomicReference<>("stuck");
        Thread t = new Thread(() -> {
            long t0 = System.nanoTime();
            try {
                outcome.set(step.call() + " after " + GreetingClient.ms(t0) + " ms");
            } catch (SocketException reaped) {
                outcome.set("reaped after " + GreetingClient.ms(t0) + " ms: " + GreetingClient.describe(reaped));
            } catch (Throwable e) {
                outcome.set("failed " + GreetingClient.describe(e));
            }
        }, name);
        t.setDaemon(true); // a thread stuck on the old agent must not keep the host from exiting
        t.start();
        t.join(STEP_MILLIS);
        return outcome.get();
    }

    private static String tarpit(String host, int port) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 10_000);
            InputStream in = s.getInputStream();
            GreetingClient.readReply(in); // no timeout of its own, as in KB Q175982
            return "greeted";
        }
    }

    public static void main(String[] a) throws Exception {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> System.out.println("UNCAUGHT in " + t.getName() + ": "
                + GreetingClient.describe(e)));
        String host = a[0];
        int smtp = Integer.parseInt(a[1]);
        int tarpit = Integer.parseInt(a[2]);
        boolean blocked = "blocked".equals(a[3]);
        AgentView.awaitLive();
        ParkingStderr parking = new ParkingStderr();
        if (blocked) {
            System.setErr(new PrintStream(parking, true));
        }
        System.out.println("LOGGING " + onHostThread("logging-host", () -> {
            Relay.deliver("healthy.example", host, smtp);
            return "delivered";
        }));
        if (blocked) {
            System.out.println("PARKED " + parking.entered.await(STEP_MILLIS, TimeUnit.MILLISECONDS));
        }
        for (int i = 1; i <= 2; i++) {
            System.out.println("TARPIT " + i + " " + onHostThread("tarpit-" + i, () -> tarpit(host, tarpit)));
        }
        System.out.println("AFTER " + onHostThread("after-host", () -> {
            Relay.deliver("healthy.example", host, smtp);
            return "delivered";
        }));
        AgentView.printCounters();
        System.out.println("EXITING");
        LastWords.deliver("healthy.example", host, smtp);
        System.exit(0);
    }

    private BlockedStderrHost() {
    }
}

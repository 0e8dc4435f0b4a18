package io.smtpwatchdog.reap;

import io.smtpwatchdog.log.AgentLog;
import io.smtpwatchdog.track.Conn;
import io.smtpwatchdog.track.Events;
import io.smtpwatchdog.track.Policy;
import io.smtpwatchdog.track.Tracker;
import io.smtpwatchdog.track.TrackerAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A burst of deadlines: every socket is closed and counted, every reap gets its notification, and the log tells them
 * all, the first few by name and the rest counted in one summary (each by name at debug).
 */
class ReapBurstTest {
    private static final int SOCKETS = 60;
    private static final Pattern NAMED = Pattern.compile("reaped SMTP connection #(\\d+) ");
    private static final Pattern SUMMARY = Pattern.compile("reaped (\\d+) more SMTP connections within \\d+ ms.*: "
            + "(\\d+) to localhost$");

    private final List<Socket> clients = new ArrayList<>();
    private final PrintStream savedErr = System.err;
    private ServerSocket tarpit;
    private Reaper reaper;

    @AfterEach
    void close() throws Exception {
        System.setErr(savedErr);
        AgentLog.setLevel("info");
        if (reaper != null) {
            reaper.stop();
        }
        for (Socket s : clients) {
            s.close();
        }
        tarpit.close();
    }

    /** Connects {@link #SOCKETS} sockets first, then hands them to the tracker at once: their deadlines coincide. */
    private List<String> burst(String level, ConcurrentLinkedQueue<Long> notified) throws Exception {
        tarpit = new ServerSocket(0, SOCKETS, InetAddress.getLoopbackAddress());
        for (int i = 0; i < SOCKETS; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tarpit.getLocalPort()), 2000);
            clients.add(s);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        AgentLog.setLevel(level);
        Tracker tracker = new Tracker(new Policy(new int[] {tarpit.getLocalPort()}, 300, true), 10);
        tracker.events(new Counted(notified));
        for (Socket s : clients) {
            TrackerAccess.connected(tracker, s);
        }
        reaper = new Reaper(tracker);
        reaper.start();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (notified.size() < SOCKETS || clients.stream().anyMatch(s -> !s.isClosed())) {
            assertTrue(System.nanoTime() < deadline, "all reaped and told within 20 s: " + notified.size()
                    + " notifications, " + tracker.totals());
            Thread.sleep(10);
        }
        Thread.sleep(300); // a summary line, if any, follows the last notification at once
        assertEquals(SOCKETS, tracker.totals().get("reaped"));
        assertEquals(SOCKETS, new TreeSet<>(notified).size(), "one notification per reap, none twice");
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aBurstIsToldByNameUpToTenThenCountedAndNoReapIsLeftOut() throws Exception {
        ConcurrentLinkedQueue<Long> notified = new ConcurrentLinkedQueue<>();
        List<String> lines = burst("info", notified);
        int named = 0;
        int summarized = 0;
        int summaries = 0;
        for (String l : lines) {
            if (NAMED.matcher(l).find()) {
                named++;
            }
            Matcher m = SUMMARY.matcher(l);
            if (m.find()) {
                summaries++;
                summarized += Integer.parseInt(m.group(1));
                assertEquals(m.group(1), m.group(2), "the summary counts by destination what it counts: " + l);
            }
        }
        assertEquals(SOCKETS, named + summarized, "every reap is in the log, by name or counted: " + lines);
        assertTrue(summaries >= 1 && named <= Reports.NAMED * summaries + Reports.NAMED,
                "a burst of " + SOCKETS + " is mostly counted, not named: " + named + " named, " + lines);
    }

    @Test
    void atDebugEveryReapIsAlsoNamed() throws Exception {
        ConcurrentLinkedQueue<Long> notified = new ConcurrentLinkedQueue<>();
        List<String> lines = burst("debug", notified);
        Set<Long> named = new TreeSet<>();
        for (String l : lines) {
            Matcher m = NAMED.matcher(l);
            if (m.find()) {
                assertTrue(named.add(Long.parseLong(m.group(1))), "named once: " + l);
            }
        }
        assertEquals(new TreeSet<>(notified), named, "each reap named in the log");
    }

    /** Records the ids of reaps as the JMX notifications would carry them. */
    private static final class Counted implements Events {
        private final ConcurrentLinkedQueue<Long> reaped;

        Counted(ConcurrentLinkedQueue<Long> reaped) {
            this.reaped = reaped;
        }

        @Override
        public void reaped(Conn c, boolean onlyReported) {
            if (!onlyReported) {
                reaped.add(c.id());
            }
        }
    }
}

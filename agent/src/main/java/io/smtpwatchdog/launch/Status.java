package io.smtpwatchdog.launch;

import io.smtpwatchdog.config.Durations;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import javax.management.AttributeNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code status <pid>}: one table row per destination, read from the running agent's MBeans through the target's
 * local JMX agent (the same connection JConsole makes), plus totals. GIVEN BACK counts the slots the agent released
 * on the host's behalf (slot give-back), so a leak the agent cleaned up is visible next to the slots still held.
 */
final class Status {
    private static final String[] COLUMNS = {"DESTINATION", "OPEN", "AWAITING", "IN SESSION", "REAPED", "SLOTS HELD",
        "GIVEN BACK", "OLDEST WAIT"};
    private static final long MBEAN_WAIT_MILLIS = 3000;

    private final JMXConnector connector;
    private final MBeanServerConnection mbs;
    private final String pid;

    private Status(JMXConnector connector, String pid) throws Exception {
        this.connector = connector;
        this.mbs = connector.getMBeanServerConnection();
        this.pid = pid;
    }

    static Status of(String pid) throws CliError {
        Attach vm = Attach.to(pid);
        String address;
        try {
            address = vm.localJmxAddress();
        } finally {
            vm.detach();
        }
        try {
            Status s = new Status(JMXConnectorFactory.connect(new JMXServiceURL(address)), pid);
            s.awaitAgent();
            return s;
        } catch (CliError e) {
            throw e;
        } catch (Exception e) {
            throw new CliError("cannot read the JMX of process " + pid + ": " + e);
        }
    }

    /** The agent registers its MBeans once the platform MBeanServer exists, which attaching has just caused. */
    private void awaitAgent() throws Exception {
        ObjectName watchdog = new ObjectName("smtpwatchdog:type=Watchdog");
        long deadline = System.currentTimeMillis() + MBEAN_WAIT_MILLIS;
        while (!mbs.isRegistered(watchdog)) {
            if (System.currentTimeMillis() > deadline) {
                close();
                throw new CliError("process " + pid + " runs no SMTP Watchdog agent (no smtpwatchdog MBeans); load it "
                        + "with: java -jar smtp-watchdog-agent.jar attach " + pid);
            }
            Thread.sleep(100);
        }
    }

    /** The connection to the target's MBeanServer, where the agent's MBeans are registered. */
    MBeanServerConnection connection() {
        return mbs;
    }

    /**
     * Mode, deadline, totals and version of the agent, as one line. The version is last so that the line still
     * starts as it did before it had one.
     */
    String summary() throws Exception {
        ObjectName w = new ObjectName("smtpwatchdog:type=Watchdog");
        return "SMTP Watchdog in process " + pid + ": mode " + mbs.getAttribute(w, "ModeInForce") + ", bannerTimeout "
                + Durations.format((Long) mbs.getAttribute(w, "BannerTimeoutMillis")) + ", tracked "
                + mbs.getAttribute(w, "Tracked") + ", connects " + mbs.getAttribute(w, "ConnectsTotal") + ", rescued "
                + mbs.getAttribute(w, "RescuedTotal") + ", version " + agentVersion(w);
    }

    /** The target agent's own version, which may differ from this jar's; unknown for an agent without one. */
    private String agentVersion(ObjectName watchdog) throws Exception {
        try {
            return String.valueOf(mbs.getAttribute(watchdog, "Version"));
        } catch (AttributeNotFoundException older) {
            return "unknown";
        }
    }

    /** The line that starts each {@code --watch} frame: when it was read, in UTC to the second. */
    static String frameTime(long epochMillis) {
        return "--- " + Instant.ofEpochMilli(epochMillis - Math.floorMod(epochMillis, 1000L)) + " ---";
    }

    void print(PrintStream out) throws Exception {
        out.println(summary());
        List<String[]> rows = new ArrayList<String[]>();
        rows.add(COLUMNS);
        long[] total = new long[6];
        Set<ObjectName> names = new TreeSet<ObjectName>(mbs.queryNames(new ObjectName("smtpwatchdog:type=Domain,*"),
                null));
        for (ObjectName n : names) {
            long[] v = {
                number(n, "Open"), number(n, "AwaitingGreeting"), number(n, "InSession"), number(n, "ReapedTotal"),
                number(n, "SlotsHeld"), number(n, "SlotsRecoveredTotal")};
            for (int i = 0; i < v.length; i++) {
                total[i] += v[i];
            }
            long oldest = number(n, "OldestAwaitingMillis");
            rows.add(new String[] {String.valueOf(mbs.getAttribute(n, "Name")), s(v[0]), s(v[1]), s(v[2]), s(v[3]),
                s(v[4]), s(v[5]), oldest == 0 ? "-" : String.format(Locale.ROOT, "%.1fs", oldest / 1000.0)});
        }
        rows.add(new String[] {"(total)", s(total[0]), s(total[1]), s(total[2]), s(total[3]), s(total[4]),
            s(total[5]), ""});
        int[] width = new int[COLUMNS.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        printRows(out, rows, width);
        printOldestWait(out, new ObjectName("smtpwatchdog:type=Watchdog"), mbs);
        printFound(out, new ObjectName("smtpwatchdog:type=Watchdog"), mbs);
    }

    /**
     * The longest-running wait of any live connection, for the greeting or a reply, as one line: what it waits for,
     * in which phase (whose deadline bounds it), and for how long; "none" when every connection is idle.
     */
    private static void printOldestWait(PrintStream out, ObjectName watchdog, MBeanServerConnection mbs)
            throws Exception {
        Object rows = mbs.getAttribute(watchdog, "Connections");
        if (!(rows instanceof CompositeData[])) {
            return;
        }
        CompositeData oldest = null;
        for (CompositeData c : (CompositeData[]) rows) {
            String phase = String.valueOf(c.get("phase"));
            if (!phase.isEmpty() && !phase.equals("idle") && (oldest == null
                    || ((Number) c.get("waitMillis")).longValue() > ((Number) oldest.get("waitMillis")).longValue())) {
                oldest = c;
            }
        }
        if (oldest == null) {
            out.println("oldest wait: none");
            return;
        }
        out.println(String.format(Locale.ROOT, "oldest wait: %s, for %s, %.1fs, #%s to %s (%s)", oldest.get("phase"),
                oldest.get("waitingFor"), ((Number) oldest.get("waitMillis")).longValue() / 1000.0, oldest.get("id"),
                oldest.get("destination"), oldest.get("remoteAddress")));
    }

    /**
     * Each live connection and the host's frames above its connect, as the agent captured them (captureStacks=true):
     * the frames to read for a server's delivery method. One line saying why when the agent captured none.
     */
    void printStacks(PrintStream out) throws Exception {
        Object rows = mbs.getAttribute(new ObjectName("smtpwatchdog:type=Watchdog"), "Connections");
        int shown = 0;
        int live = 0;
        if (rows instanceof CompositeData[]) {
            for (CompositeData c : (CompositeData[]) rows) {
                String stack = String.valueOf(c.get("openingStack"));
                if (String.valueOf(c.get("state")).startsWith("found-blocked")) {
                    continue; // connected before the agent: no stack was captured
                }
                live++;
                if (stack.isEmpty()) {
                    continue;
                }
                shown++;
                out.println(String.format(Locale.ROOT, "connection #%s to %s (%s), host thread '%s', %s:", c.get("id"),
                        c.get("destination"), c.get("remoteAddress"), c.get("hostThread"), c.get("state")));
                for (String frame : stack.split("\n")) {
                    out.println("    at " + frame);
                }
            }
        }
        if (shown == 0) {
            out.println(live == 0 ? "stacks: no live connection" : "stacks: none captured; start the agent with "
                    + "captureStacks=true to see the host's frames above each connect");
        }
    }

    /** The connections found blocked at attach or startup, not yet rescued: one line each. */
    private static void printFound(PrintStream out, ObjectName watchdog, MBeanServerConnection mbs) throws Exception {
        Object rows = mbs.getAttribute(watchdog, "Connections");
        if (!(rows instanceof CompositeData[])) {
            return;
        }
        for (CompositeData c : (CompositeData[]) rows) {
            String state = String.valueOf(c.get("state"));
            if (state.startsWith("found-blocked")) {
                out.println(String.format(Locale.ROOT, "found %s: #%s to %s (%s), host thread '%s' blocked %.1fs",
                        state.substring(state.indexOf("(") + 1, state.length() - 1), c.get("id"),
                        c.get("destination"), c.get("remoteAddress"), c.get("hostThread"),
                        ((Number) c.get("ageMillis")).longValue() / 1000.0));
            }
        }
    }

    private static void printRows(PrintStream out, List<String[]> rows, int[] width) {
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                String cell = r[i];
                String pad = repeat(' ', width[i] - cell.length());
                line.append(i == 0 ? cell + pad : "  " + pad + cell);
            }
            out.println(line.toString().replaceAll("\\s+$", ""));
        }
    }

    private long number(ObjectName n, String attribute) throws Exception {
        return ((Number) mbs.getAttribute(n, attribute)).longValue();
    }

    private static String s(long v) {
        return String.valueOf(v);
    }

    private static String repeat(char c, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(c);
        }
        return b.toString();
    }

    void close() {
        try {
            connector.close();
        } catch (Exception ignored) {
            // the target went away
        }
    }
}

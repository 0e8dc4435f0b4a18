package io.smtpwatchdog.it;

import com.sun.tools.attach.VirtualMachine;
import io.smtpwatchdog.it.child.JmxHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import javax.management.Attribute;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MBeans through a real JMX connection: the test attaches to the child, starts its local management agent and
 * connects over RMI on loopback, as JConsole or VisualVM would, then steers a scripted scenario.
 */
class JmxIT {
    private static final Duration CHILD = Duration.ofSeconds(120);
    private static final ObjectName WATCHDOG = name("smtpwatchdog:type=Watchdog");
    private static final ObjectName TARPIT_DOMAIN = name("smtpwatchdog:type=Domain,name=127.0.0.1");
    private static final ObjectName HEALTHY_DOMAIN = name("smtpwatchdog:type=Domain,name=localhost");

    private static ObjectName name(String s) {
        try {
            return new ObjectName(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JMXConnector connect(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        try {
            return JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
        } finally {
            vm.detach();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    /** The connection's MBeanServer, once the agent has registered the Watchdog MBean there. */
    private static MBeanServerConnection watchdogOf(Quietly jmx) throws Exception {
        MBeanServerConnection mbs = jmx.connector.getMBeanServerConnection();
        await("the Watchdog MBean is registered", () -> {
            try {
                return mbs.isRegistered(WATCHDOG);
            } catch (Exception e) {
                return false;
            }
        });
        return mbs;
    }

    /** One entry of a ReplyTimeouts map attribute (an open-type table in JMX). */
    private static String replyTimeout(MBeanServerConnection mbs, ObjectName n, String option) throws Exception {
        TabularData table = (TabularData) mbs.getAttribute(n, "ReplyTimeouts");
        CompositeData row = table.get(new Object[] {option});
        return row == null ? null : (String) row.get("value");
    }

    private static long number(MBeanServerConnection mbs, ObjectName n, String attribute) {
        try {
            return ((Number) mbs.getAttribute(n, attribute)).longValue();
        } catch (Exception e) {
            return -1;
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void attributesOperationsAndNotificationsFollowAScriptedScenario(Path jdk) throws Exception {
        Path trigger = Files.createTempDirectory("jmx-it").resolve("go");
        try (Peer tarpit = Peer.start(Peer.tarpit());
             Peer healthy = Peer.start(Peer.greeter("220 hi\r\n", Duration.ZERO));
             ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=1h,ports=" + tarpit.port() + "+" + healthy.port())
                     .run(JmxHost.class, String.valueOf(tarpit.port()), String.valueOf(healthy.port()),
                             trigger.toString())) {
            c.awaitOut("^LIVE", CHILD); // the JVM's management agent cannot start while premain holds main
            Quietly jmx = opened(new Quietly(connect(c.pid())));
            MBeanServerConnection mbs = watchdogOf(jmx);
            List<Notification> notes = new CopyOnWriteArrayList<>();
            mbs.addNotificationListener(WATCHDOG, (n, h) -> notes.add(n), null, null);

            // Descriptions and parameter names, as a console shows them.
            MBeanInfo info = mbs.getMBeanInfo(WATCHDOG);
            for (MBeanAttributeInfo a : info.getAttributes()) {
                assertFalse(a.getDescription().isBlank() || a.getDescription().equals(a.getName()),
                        "attribute " + a.getName() + " has a description");
            }
            for (MBeanOperationInfo o : info.getOperations()) {
                assertTrue(Character.isUpperCase(o.getDescription().charAt(0)), o.getName() + " is described");
                if (o.getName().equals("closeConnection")) {
                    assertEquals("id", o.getSignature()[0].getName());
                }
            }
            assertTrue(info.getNotifications().length >= 3, "notification types are declared");
            assertEquals(CliIT.jarVersion(), mbs.getAttribute(WATCHDOG, "Version"), "the jar's version");

            Files.createFile(trigger);
            c.awaitOut("^B GREETED 220 hi", CHILD);
            await("both connections tracked", () -> number(mbs, WATCHDOG, "Tracked") == 2
                    && number(mbs, WATCHDOG, "AwaitingGreeting") == 1);
            assertEquals(1L, number(mbs, WATCHDOG, "InSession"));
            assertEquals(2L, number(mbs, WATCHDOG, "ConnectsTotal"));
            await("a Domain MBean per destination", () -> number(mbs, TARPIT_DOMAIN, "Open") == 1
                    && number(mbs, HEALTHY_DOMAIN, "InSession") == 1);
            CompositeData[] rows = (CompositeData[]) mbs.getAttribute(WATCHDOG, "Connections");
            assertEquals(2, rows.length);
            long healthyId = -1;
            for (CompositeData row : rows) {
                if (row.get("destination").equals("localhost")) {
                    assertEquals("in-session", row.get("state"));
                    assertEquals("idle", row.get("phase"), "greeted, and no command sent: it owes nothing");
                    assertEquals("", row.get("waitingFor"));
                    assertEquals(0L, row.get("waitMillis"));
                    healthyId = (Long) row.get("id");
                } else {
                    assertEquals("awaiting-greeting", row.get("state"));
                    assertEquals("greeting", row.get("phase"));
                    assertEquals("greeting", row.get("waitingFor"));
                    assertEquals("holder-A", row.get("hostThread"));
                }
            }
            TabularData hooks = (TabularData) mbs.getAttribute(WATCHDOG, "Hooks");
            assertTrue(hooks.toString().contains("verified"), hooks.toString());

            // Bad arguments are refused whole, with a clear message, and change nothing.
            Exception bad = assertThrows(Exception.class, () -> mbs.setAttribute(WATCHDOG, new Attribute("Mode", "loud")));
            assertTrue(rootMessage(bad).contains("enforce or monitor"), rootMessage(bad));
            assertThrows(Exception.class, () -> mbs.setAttribute(WATCHDOG, new Attribute("BannerTimeoutMillis", 0L)));
            assertThrows(Exception.class, () -> mbs.invoke(WATCHDOG, "setDestinationBannerTimeout",
                    new Object[] {" ", 500L}, new String[] {"java.lang.String", "long"}));
            assertThrows(Exception.class, () -> mbs.invoke(WATCHDOG, "closeConnection",
                    new Object[] {0L}, new String[] {"long"}));
            assertEquals("enforce", mbs.getAttribute(WATCHDOG, "Mode"));
            assertEquals(3_600_000L, number(mbs, WATCHDOG, "BannerTimeoutMillis"));

            // Reply deadlines: global and per destination, by option name, a duration or off; bad ones refused whole.
            String[] two = {"java.lang.String", "java.lang.String"};
            String[] three = {"java.lang.String", "java.lang.String", "java.lang.String"};
            assertEquals("5m", replyTimeout(mbs, WATCHDOG, "mailTimeout"), "the RFC's default");
            mbs.invoke(WATCHDOG, "setReplyTimeout", new Object[] {"mailTimeout", "30s"}, two);
            mbs.invoke(WATCHDOG, "setReplyTimeout", new Object[] {"dataEndTimeout", "OFF"}, two);
            assertEquals("30s", replyTimeout(mbs, WATCHDOG, "mailTimeout"));
            assertEquals("off", replyTimeout(mbs, WATCHDOG, "dataEndTimeout"));
            Exception option = assertThrows(Exception.class, () -> mbs.invoke(WATCHDOG, "setReplyTimeout",
                    new Object[] {"bannerTimout", "1s"}, two));
            assertTrue(rootMessage(option).contains("option must be one of commandTimeout, mailTimeout"),
                    rootMessage(option));
            Exception duration = assertThrows(Exception.class, () -> mbs.invoke(WATCHDOG, "setReplyTimeout",
                    new Object[] {"rcptTimeout", "5x"}, two));
            assertTrue(rootMessage(duration).startsWith("rcptTimeout: bad duration '5x'"), rootMessage(duration));
            assertThrows(Exception.class, () -> mbs.invoke(WATCHDOG, "setDestinationTimeout",
                    new Object[] {"localhost", "bannerTimeout", "off"}, three));
            assertEquals("5m", replyTimeout(mbs, WATCHDOG, "rcptTimeout"), "nothing half-applied");
            mbs.invoke(WATCHDOG, "setDestinationTimeout", new Object[] {"localhost", "rcptTimeout", "1m"}, three);
            assertEquals("1m", replyTimeout(mbs, HEALTHY_DOMAIN, "rcptTimeout"));
            assertEquals("5m", replyTimeout(mbs, TARPIT_DOMAIN, "rcptTimeout"));
            assertEquals("30s", replyTimeout(mbs, HEALTHY_DOMAIN, "mailTimeout"), "the global one where none of its own");
            assertTrue(mbs.getAttribute(WATCHDOG, "DestinationTimeouts").toString().contains("localhost rcptTimeout"));
            assertEquals(Boolean.TRUE, mbs.invoke(WATCHDOG, "clearDestinationTimeout",
                    new Object[] {"localhost", "rcptTimeout"}, two));
            assertEquals(Boolean.FALSE, mbs.invoke(WATCHDOG, "clearDestinationTimeout",
                    new Object[] {"localhost", "rcptTimeout"}, two));
            assertEquals("5m", replyTimeout(mbs, HEALTHY_DOMAIN, "rcptTimeout"));

            // Monitor mode, then a per-destination timeout that already passed for the existing connection.
            mbs.setAttribute(WATCHDOG, new Attribute("Mode", "monitor"));
            mbs.invoke(WATCHDOG, "setDestinationBannerTimeout", new Object[] {"127.0.0.1", 500L},
                    new String[] {"java.lang.String", "long"});
            assertEquals(500L, number(mbs, TARPIT_DOMAIN, "BannerTimeoutMillis"));
            assertEquals(3_600_000L, number(mbs, HEALTHY_DOMAIN, "BannerTimeoutMillis"));
            await("the existing connection is overdue under its new deadline",
                    () -> number(mbs, WATCHDOG, "OverdueTotal") == 1);
            await("a wouldReap notification", () -> notes.stream().anyMatch(
                    n -> n.getType().equals("smtpwatchdog.connection.wouldReap")));
            assertEquals(0L, number(mbs, WATCHDOG, "ReapedTotal"), "monitor mode closes nothing");
            assertTrue(number(mbs, TARPIT_DOMAIN, "OldestAwaitingMillis") >= 500);

            // Enforce at runtime: the overdue connection is reaped; its host thread gets the exception.
            mbs.setAttribute(WATCHDOG, new Attribute("Mode", "enforce"));
            c.awaitOut("^A ENDED java.net.SocketException", CHILD);
            await("a reaped notification", () -> notes.stream().anyMatch(
                    n -> n.getType().equals("smtpwatchdog.connection.reaped")));
            assertEquals(1L, number(mbs, WATCHDOG, "ReapedTotal"));
            assertEquals(1L, number(mbs, WATCHDOG, "ReapedGreetingTotal"));
            assertEquals(0L, number(mbs, WATCHDOG, "ReapedMailTotal"));
            assertEquals(1L, number(mbs, TARPIT_DOMAIN, "ReapedTotal"));
            assertEquals(1L, number(mbs, TARPIT_DOMAIN, "ReapedGreetingTotal"));
            assertEquals(0L, number(mbs, TARPIT_DOMAIN, "OldestAwaitingMillis"));

            // Operations: clear the destination's own timeout; close the healthy one by id (the child then exits).
            assertEquals(Boolean.TRUE, mbs.invoke(WATCHDOG, "clearDestinationBannerTimeout",
                    new Object[] {"127.0.0.1"}, new String[] {"java.lang.String"}));
            assertEquals(Boolean.FALSE, mbs.invoke(WATCHDOG, "clearDestinationBannerTimeout",
                    new Object[] {"127.0.0.1"}, new String[] {"java.lang.String"}));
            assertTrue(((TabularData) mbs.getAttribute(WATCHDOG, "DestinationBannerTimeouts")).isEmpty());
            assertEquals(Boolean.TRUE, mbs.invoke(WATCHDOG, "closeConnection", new Object[] {healthyId},
                    new String[] {"long"}));
            c.awaitOut("^B ENDED java.net.SocketException", CHILD);
            Map<String, Long> t = Counters.totals(c);
            assertEquals(2, t.get("connects"));
            assertEquals(2, t.get("closes"));
            assertEquals(0, t.get("open"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void withCaptureStacksEachConnectionShowsTheHostStackThatOpenedIt(Path jdk) throws Exception {
        Path trigger = Files.createTempDirectory("jmx-it").resolve("go");
        try (Peer tarpit = Peer.start(Peer.tarpit());
             Peer healthy = Peer.start(Peer.greeter("220 hi\r\n", Duration.ZERO));
             ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=1h,captureStacks=true,ports=" + tarpit.port() + "+"
                     + healthy.port()).run(JmxHost.class, String.valueOf(tarpit.port()), String.valueOf(healthy.port()),
                     trigger.toString())) {
            c.awaitOut("^LIVE", CHILD);
            Quietly jmx = opened(new Quietly(connect(c.pid())));
            MBeanServerConnection mbs = watchdogOf(jmx);
            Files.createFile(trigger);
            await("both connections tracked", () -> number(mbs, WATCHDOG, "Tracked") == 2);
            for (CompositeData row : (CompositeData[]) mbs.getAttribute(WATCHDOG, "Connections")) {
                String stack = (String) row.get("openingStack");
                assertTrue(stack.startsWith("io.smtpwatchdog.it.child.JmxHost"), "starts at the host's call of "
                        + "connect, not inside the agent: " + stack);
                assertTrue(stack.split("\n").length <= 32, stack);
            }
            mbs.invoke(WATCHDOG, "reapOverdueNow", new Object[0], new String[0]); // nothing is overdue yet
            assertEquals(0L, number(mbs, WATCHDOG, "ReapedTotal"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.smtpwatchdog.it.Jdks#all")
    void slotRecoveryAndAbandonmentAreNotified(Path jdk) throws Exception {
        Path dir = Files.createTempDirectory("jmx-it");
        String limiter = io.smtpwatchdog.it.child.NotifyHost.Limiter.class.getName();
        try (Peer tarpit = Peer.start(Peer.tarpit());
             Peer healthy = Peer.start(Peer.greeter("220 hi\r\n", Duration.ZERO));
             ChildJvm c = ChildJvm.on(jdk).agent("bannerTimeout=1s,slotGrace=200ms,ports=" + tarpit.port() + "+"
                     + healthy.port() + ",slotAcquire=" + limiter + "#acquire(java.lang.String)@0,slotRelease="
                     + limiter + "#release(java.lang.String)@0")
                     .run(io.smtpwatchdog.it.child.NotifyHost.class, String.valueOf(tarpit.port()),
                             String.valueOf(healthy.port()), dir.resolve("go").toString(),
                             dir.resolve("done").toString())) {
            c.awaitOut("^LIVE", CHILD);
            Quietly jmx = opened(new Quietly(connect(c.pid())));
            MBeanServerConnection mbs = watchdogOf(jmx);
            List<Notification> notes = new CopyOnWriteArrayList<>();
            mbs.addNotificationListener(WATCHDOG, (n, h) -> notes.add(n), null, null);
            Files.createFile(dir.resolve("go"));
            c.awaitOut("^DROPPED", CHILD);
            await("a slot.recovered notification naming the domain", () -> notes.stream().anyMatch(
                    n -> n.getType().equals("smtpwatchdog.slot.recovered")
                            && "leaky.example".equals(n.getUserData())));
            await("an abandoned notification", () -> notes.stream().anyMatch(
                    n -> n.getType().equals("smtpwatchdog.connection.abandoned")));
            assertEquals(1L, number(mbs, WATCHDOG, "SlotsRecoveredTotal"));
            assertEquals(0L, number(mbs, WATCHDOG, "SlotsHeld"));
            assertEquals(1L, number(mbs, WATCHDOG, "AbandonedTotal"));
            assertTrue(notes.stream().map(Notification::getSequenceNumber).distinct().count() == notes.size(),
                    "sequence numbers are distinct");
            Files.createFile(dir.resolve("done"));
        }
    }

    private final List<Quietly> connections = new CopyOnWriteArrayList<>();

    private Quietly opened(Quietly q) {
        connections.add(q);
        return q;
    }

    @AfterEach
    void closeConnections() {
        connections.forEach(Quietly::close);
    }

    /** The scenario ends with the child exiting: closing a connection to a JVM that is gone releases nothing. */
    private record Quietly(JMXConnector connector) implements AutoCloseable {
        @Override
        public void close() {
            try {
                connector.close();
            } catch (Exception gone) {
                // the child has exited
            }
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}

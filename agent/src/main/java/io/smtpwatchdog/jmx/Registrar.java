package io.smtpwatchdog.jmx;

import io.smtpwatchdog.reap.Reaper;
import io.smtpwatchdog.track.AgentThread;
import io.smtpwatchdog.track.Destination;
import io.smtpwatchdog.track.Tracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;

/**
 * Puts the MBeans on the platform MBeanServer, lazily, on a thread of its own.
 *
 * <p>Creating the platform MBeanServer too early breaks containers that choose its implementation in their own
 * main (JBoss/WildFly set {@code javax.management.builder.initial}). So the agent registers as soon as someone else
 * has created it (a JMX agent, a container, a console attaching), or {@link #WAIT_NANOS} after start if nobody has.
 * Domain MBeans follow as destinations appear, bounded like the destinations themselves ({@code maxDestinations},
 * the rest under {@code (other)}). A slow MBeanServer delays only this thread, never a reap.
 */
public final class Registrar implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("smtp-watchdog");
    /** Longest wait for someone else to create the platform MBeanServer. */
    static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long TICK_MILLIS = 250;
    private static final long DOMAIN_SCAN_NANOS = TimeUnit.SECONDS.toNanos(1);

    public static final String WATCHDOG = "smtpwatchdog:type=Watchdog";

    private final Tracker tracker;
    private final Reaper reaper;
    private final HookStates hookStates;
    private final long startNanos = System.nanoTime();
    private final Set<String> registered = new HashSet<String>();
    private MBeanServer server;

    private Registrar(Tracker tracker, Reaper reaper, HookStates hookStates) {
        this.tracker = tracker;
        this.reaper = reaper;
        this.hookStates = hookStates;
    }

    /**
     * Starts registering on the agent's own thread. The three suppliers give the states the Watchdog MBean shows
     * (JDK hooks, declared methods, mail libraries, each label to state): passed in by the installer, so that this
     * package does not depend on the one that starts it.
     */
    public static void start(Tracker tracker, Reaper reaper, Supplier<Map<String, String>> hooks,
                             Supplier<Map<String, String>> declarations, Supplier<Map<String, String>> libraries) {
        HookStates states = new HookStates(hooks, declarations, libraries);
        new AgentThread("smtp-watchdog-jmx", new Registrar(tracker, reaper, states)).start();
    }

    /** The ObjectName of a destination's MBean; the name is quoted when it holds characters ObjectName reserves. */
    public static ObjectName domainName(String destination) throws javax.management.MalformedObjectNameException {
        boolean plain = destination.length() > 0;
        for (int i = 0; i < destination.length() && plain; i++) {
            plain = ",=:\"*?\n\\".indexOf(destination.charAt(i)) < 0;
        }
        return new ObjectName("smtpwatchdog:type=Domain,name=" + (plain ? destination : ObjectName.quote(destination)));
    }

    @Override
    public void run() {
        try {
            while (server == null) {
                if (!MBeanServerFactory.findMBeanServer(null).isEmpty()
                        || System.nanoTime() - startNanos > WAIT_NANOS) {
                    server = ManagementFactory.getPlatformMBeanServer();
                    registerWatchdog();
                } else {
                    Thread.sleep(TICK_MILLIS);
                }
            }
            while (true) {
                registerDomains();
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(DOMAIN_SCAN_NANOS));
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            LOG.error("JMX registration stopped; the watchdog itself goes on", t);
        }
    }

    private void registerWatchdog() throws Exception {
        ObjectName name = new ObjectName(WATCHDOG);
        if (server.isRegistered(name)) {
            LOG.warn("{} is registered already (is the agent attached twice?); not registering again", WATCHDOG);
            return;
        }
        WatchdogBean bean = new WatchdogBean(tracker, reaper, name, hookStates);
        server.registerMBean(new Described<WatchdogMXBean>(bean, WatchdogMXBean.class, bean.emitter,
                "SMTP Watchdog: closes outbound SMTP connections whose greeting never comes.", new String[][] {
                    {"closeConnection", "id"},
                    {"setDestinationBannerTimeout", "destination", "millis"},
                    {"clearDestinationBannerTimeout", "destination"},
                    {"releaseSlot", "domain", "count"},
                    {"setReplyTimeout", "option", "duration"},
                    {"setDestinationTimeout", "destination", "option", "duration"},
                    {"clearDestinationTimeout", "destination", "option"}}), name);
        tracker.events(bean);
        LOG.info("MBeans registered: {} and smtpwatchdog:type=Domain,name=<destination>", WATCHDOG);
    }

    private void registerDomains() {
        Map<String, Destination> all = tracker.views().destinationCounters();
        if (all.size() == registered.size()) {
            return;
        }
        for (Map.Entry<String, Destination> e : all.entrySet()) {
            if (registered.contains(e.getKey())) {
                continue;
            }
            try {
                ObjectName name = domainName(e.getKey());
                if (!server.isRegistered(name)) {
                    server.registerMBean(new Described<DomainMXBean>(new DomainBean(e.getValue(), tracker),
                            DomainMXBean.class, new NotificationBroadcasterSupport(), // declares no notifications
                            "SMTP Watchdog: one destination's connections and slots.",
                            new String[0][]), name);
                }
                registered.add(e.getKey());
            } catch (Throwable t) {
                registered.add(e.getKey()); // once: a name the server refuses is not retried every second
                LOG.warn("could not register the MBean of destination {}: {}", e.getKey(), t.toString());
            }
        }
    }
}

package io.smtpwatchdog.it.child;

import java.lang.management.ManagementFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * An operator at a JMX console, inside the host: reads the Watchdog's {@code Connections} table again and again and
 * closes half of what it lists with {@code closeConnection}, as fast as it can, on a thread of its own.
 */
final class OperatorConsole {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger closed = new AtomicInteger();
    private final Thread thread;

    private OperatorConsole() {
        thread = new Thread(this::run, "operator-console");
        thread.setDaemon(true);
    }

    /** Starts once the Watchdog MBean is registered (creating the platform MBeanServer makes the agent register). */
    static OperatorConsole start() throws Exception {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        ObjectName watchdog = new ObjectName("smtpwatchdog:type=Watchdog");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!mbs.isRegistered(watchdog)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Watchdog MBean was not registered within 30 s");
            }
            Thread.sleep(20);
        }
        OperatorConsole c = new OperatorConsole();
        c.thread.start();
        return c;
    }

    private void run() {
        try {
            MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
            ObjectName watchdog = new ObjectName("smtpwatchdog:type=Watchdog");
            while (running.get()) {
                for (CompositeData row : (CompositeData[]) mbs.getAttribute(watchdog, "Connections")) {
                    if (ThreadLocalRandom.current().nextBoolean()) {
                        Object done = mbs.invoke(watchdog, "closeConnection", new Object[] {row.get("id")},
                                new String[] {"long"});
                        if (Boolean.TRUE.equals(done)) {
                            closed.incrementAndGet();
                        }
                    }
                }
            }
        } catch (Exception e) {
            System.out.println("UNEXPECTED operator " + e);
        }
    }

    /** Stops the console; returns how many connections it closed. */
    int stop() throws InterruptedException {
        running.set(false);
        thread.join();
        return closed.get();
    }
}

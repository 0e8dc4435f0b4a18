package io.smtpwatchdog.jmx;

/**
 * {@code smtpwatchdog:type=Domain,name=<destination>}: one destination's connections and slots. A destination is a
 * recipient domain when the host made it known, otherwise the host name connected to, otherwise the address.
 */
public interface DomainMXBean {
    String getName();

    long getOpen();

    long getAwaitingGreeting();

    long getInSession();

    long getOldestAwaitingMillis();

    long getConnectsTotal();

    long getClosesTotal();

    long getReapedTotal();

    long getRescuedTotal();

    long getFailedConnectsTotal();

    long getAbandonedTotal();

    long getSlotsHeld();

    long getSlotsRecoveredTotal();

    long getBannerTimeoutMillis();
}

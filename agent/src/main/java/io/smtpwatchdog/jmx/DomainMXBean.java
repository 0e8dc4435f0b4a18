package io.smtpwatchdog.jmx;

import java.util.Map;

/**
 * {@code smtpwatchdog:type=Domain,name=<destination>}: one destination's connections and slots. A destination is a
 * recipient domain when the host made it known, otherwise the host name connected to, otherwise the address.
 */
public interface DomainMXBean extends ReapsByPhase {
    String getName();

    long getOpen();

    long getAwaitingGreeting();

    long getInSession();

    long getOldestAwaitingMillis();

    long getConnectsTotal();

    long getClosesTotal();

    long getReapedTotal();

    long getRescuedTotal();

    Map<String, String> getReplyTimeouts();

    long getFailedConnectsTotal();

    long getAbandonedTotal();

    long getSlotsHeld();

    long getSlotsRecoveredTotal();

    long getBannerTimeoutMillis();
}

package io.smtpwatchdog.jmx;

import java.util.List;
import java.util.Map;

/**
 * {@code smtpwatchdog:type=Watchdog}: the whole watchdog, its settings that can change at runtime, its totals, the
 * state of each hook and declared method, and the live connections. Descriptions of every attribute and operation are
 * in {@link Descriptions}; a console shows them.
 */
public interface WatchdogMXBean extends ReapsByPhase {
    String getVersion();

    String getMode();

    void setMode(String mode);

    String getModeInForce();

    long getBannerTimeoutMillis();

    void setBannerTimeoutMillis(long millis);

    Map<String, Long> getDestinationBannerTimeouts();

    long getTracked();

    long getAwaitingGreeting();

    long getInSession();

    long getConnectsTotal();

    long getClosesTotal();

    long getReapedTotal();

    long getRescuedTotal();

    Map<String, String> getReplyTimeouts();

    Map<String, Long> getDestinationTimeouts();

    long getFoundBlocked();

    long getOverdueTotal();

    long getFailedConnectsTotal();

    long getAbandonedTotal();

    long getSlotsHeld();

    long getSlotsRecoveredTotal();

    Map<String, String> getHooks();

    Map<String, String> getDeclarations();

    Map<String, String> getLibraries();

    List<ConnectionInfo> getConnections();

    int reapOverdueNow();

    boolean closeConnection(long id);

    void setDestinationBannerTimeout(String destination, long millis);

    boolean clearDestinationBannerTimeout(String destination);

    String releaseSlot(String domain, int count);

    void setReplyTimeout(String option, String duration);

    void setDestinationTimeout(String destination, String option, String duration);

    boolean clearDestinationTimeout(String destination, String option);
}

package io.smtpwatchdog.jmx;

/**
 * Reaps by the wait they ended, as six attributes of the Watchdog and of each Domain MBean: one counter per phase reads
 * better in a console, and maps to one Prometheus label, than a table would.
 */
public interface ReapsByPhase {
    long getReapedGreetingTotal();

    long getReapedCommandTotal();

    long getReapedMailTotal();

    long getReapedRcptTotal();

    long getReapedDataTotal();

    long getReapedDataEndTotal();
}

package io.smtpwatchdog.demo.outbound;

import io.smtpwatchdog.demo.spool.SpooledMessage;

import java.util.Comparator;

/**
 * The part of a message bound for one domain, waiting in that domain's queue.
 *
 * @param message  the spooled message
 * @param domain   the recipient domain this task delivers to
 * @param notBefore {@link System#nanoTime()} before which the task must not be tried (retry backoff)
 */
public record DeliveryTask(SpooledMessage message, String domain, long notBefore) {
    /** Oldest message first: spool ids sort by arrival. */
    static final Comparator<DeliveryTask> OLDEST_FIRST = Comparator
            .comparing((DeliveryTask t) -> t.message().id())
            .thenComparing(DeliveryTask::domain);

    /** A task that may be tried at once. */
    public static DeliveryTask now(SpooledMessage message, String domain) {
        return new DeliveryTask(message, domain, System.nanoTime());
    }
}

package io.smtpwatchdog.demo;

/**
 * Where delivery to one domain stands.
 *
 * @param domain    the recipient domain
 * @param queued    messages waiting for a delivery thread (due or in retry backoff)
 * @param inflight  messages a delivery thread is working on now
 * @param delivered messages delivered since start
 * @param failed    messages given up on since start
 * @param slotsUsed connection slots of the domain taken now, leaked ones included
 * @param slotLimit connection slots the domain has
 */
public record DomainStatus(String domain, int queued, int inflight, int delivered, int failed, int slotsUsed,
                           int slotLimit) {

    /** The STATUS line: {@code STATUS domain=D queued=N inflight=N delivered=N failed=N slots=U/L}. */
    public String statusLine() {
        return "STATUS domain=" + domain + " queued=" + queued + " inflight=" + inflight + " delivered="
                + delivered + " failed=" + failed + " slots=" + slotsUsed + "/" + slotLimit;
    }
}

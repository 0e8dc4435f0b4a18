package io.smtpwatchdog.track;

import io.smtpwatchdog.config.Declaration;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Which delivery each host thread is in, so that a socket it connects is counted under the right destination.
 *
 * <p>State is per thread ({@link Delivery}, through a {@code ThreadLocal}): the connect hook reads its own thread's
 * without a lock, and threads that never deliver never get one. It also holds the operator's declarations, because
 * their domain argument is what names a destination for declared deliveries and slots.
 */
public final class Attribution {
    /** Per host thread, created on its first delivery or acquire; threads that never deliver never get one. */
    private final ThreadLocal<Delivery> deliveries = new ThreadLocal<Delivery>();
    /** The operator's declarations, indexed by the id the installer gave their advice. */
    private volatile List<Declaration> declarations = Collections.emptyList();

    /** The operator's declarations; the installer binds each one's index into its advice. */
    public void declarations(List<Declaration> list) {
        this.declarations = Collections.unmodifiableList(new ArrayList<Declaration>(list));
    }

    public List<Declaration> declarations() {
        return declarations;
    }

    /** This thread's delivery, or null if it never delivered: the connect hook must not allocate for other threads. */
    Delivery current() {
        return deliveries.get();
    }

    /** This thread's delivery, created on first use. */
    Delivery currentOrNew() {
        Delivery d = deliveries.get();
        if (d == null) {
            d = new Delivery();
            deliveries.set(d);
        }
        return d;
    }

    void onDelivery(String destination, boolean entering) {
        if (AgentThread.isCurrent()) {
            return;
        }
        if (!entering) {
            Delivery d = deliveries.get();
            if (d != null) { // an exit with no delivery ever entered on this thread creates nothing
                d.leave();
            }
            return;
        }
        currentOrNew().enter(destination);
    }

    void onDeliveryTo(Object[] recipients) {
        if (AgentThread.isCurrent()) {
            return;
        }
        String domain = null;
        int domains = 0;
        try {
            Recipients r = Recipients.of(recipients);
            domain = r.domain;
            domains = r.domains;
        } catch (Throwable t) {
            // An address whose toString throws says nothing; the delivery is entered all the same, for its exit.
        }
        currentOrNew().enter(domain, domains);
    }

    /** The domain argument of a declared method's call, trimmed and lower-cased, or null. */
    String domainOf(Object[] args, int declaration) {
        List<Declaration> list = declarations;
        if (args == null || declaration < 0 || declaration >= list.size()) {
            return null;
        }
        int i = list.get(declaration).domainArgument();
        Object value = i < args.length ? args[i] : null;
        return value == null ? null : String.valueOf(value).trim().toLowerCase(Locale.ROOT);
    }
}

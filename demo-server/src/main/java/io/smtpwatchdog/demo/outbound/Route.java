package io.smtpwatchdog.demo.outbound;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where mail for a domain goes: the hosts to try, in order, as MX records would list them.
 *
 * @param domain the domain, or {@code *} for the default route
 * @param hosts  unresolved host and port pairs; names are resolved at connect time, as a DNS lookup would be
 */
public record Route(String domain, List<InetSocketAddress> hosts) {
    public Route {
        hosts = List.copyOf(hosts);
    }
}

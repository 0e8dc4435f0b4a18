package io.smtpwatchdog.demo.outbound;

import io.smtpwatchdog.demo.smtp.Mailbox;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The routing table that stands in for MX lookups. One route per line:
 *
 * <pre>
 * # comment
 * good.example    127.0.0.2:2525
 * tarpit.example  127.0.0.3:2525,127.0.0.4:2525
 * *               smarthost.internal:25
 * </pre>
 *
 * <p>Mistakes are refused when the file is loaded, with the line named, rather than found by mail that
 * silently goes nowhere.
 */
public final class Routes {
    private static final String FORM = "'<domain> <host>:<port>[,<host>:<port>...]'";

    private final Map<String, Route> byDomain;
    private final Route fallback;

    private Routes(Map<String, Route> byDomain, Route fallback) {
        this.byDomain = byDomain;
        this.fallback = fallback;
    }

    /** Reads and checks a routes file. */
    public static Routes load(Path file) throws RoutesException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RoutesException("cannot read routes file " + file + ": " + e);
        }
        return parse(lines, file.toString());
    }

    /** Checks routes given as lines of a routes file; {@code source} names them in error messages. */
    public static Routes parse(List<String> lines, String source) throws RoutesException {
        Map<String, Route> byDomain = new TreeMap<>();
        Map<String, Integer> definedOn = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String where = source + " line " + (i + 1) + ": ";
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length != 2) {
                throw new RoutesException(where + "expected " + FORM + ", got '" + line + "'");
            }
            String domain = fields[0].toLowerCase(Locale.ROOT);
            if (!domain.equals("*") && !Mailbox.isDomain(domain)) {
                throw new RoutesException(where + "'" + fields[0] + "' is not a domain name (or * for the default)");
            }
            Integer earlier = definedOn.putIfAbsent(domain, i + 1);
            if (earlier != null) {
                throw new RoutesException(where + "'" + domain + "' already has a route on line " + earlier);
            }
            List<InetSocketAddress> hosts = new ArrayList<>();
            for (String host : fields[1].split(",", -1)) {
                hosts.add(hostAndPort(host, where));
            }
            byDomain.put(domain, new Route(domain, hosts));
        }
        if (byDomain.isEmpty()) {
            throw new RoutesException(source + ": no routes; expected lines like " + FORM);
        }
        Route fallback = byDomain.remove("*");
        return new Routes(Collections.unmodifiableMap(byDomain), fallback);
    }

    private static InetSocketAddress hostAndPort(String text, String where) throws RoutesException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new RoutesException(where + "'" + text + "' is not <host>:<port>");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (!host.contains(":")) {
                throw new RoutesException(where + "brackets are for IPv6 addresses, got '" + text + "'");
            }
        } else if (!Mailbox.isDomain(host)) {
            throw new RoutesException(where + "'" + host + "' is not a host name or IPv4 address"
                    + " (write IPv6 as [::1]:25)");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new RoutesException(where + "port '" + text.substring(colon + 1) + "' is not 1..65535");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** The route for {@code domain}: its own, else the default, else none (mail for it is refused). */
    public Optional<Route> lookup(String domain) {
        Route route = byDomain.get(domain.toLowerCase(Locale.ROOT));
        return Optional.ofNullable(route != null ? route : fallback);
    }

    /** The domains named in the file, without the default. */
    public List<String> domains() {
        return List.copyOf(byDomain.keySet());
    }
}

package io.smtpwatchdog.log;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The agent's own SLF4J 2 backend, found by the (shaded) {@code LoggerFactory} through
 * {@code META-INF/services}. Writes one line per event to {@link System#err}; see {@link AgentLog}.
 *
 * <p>The agent brings its own backend, relocated together with SLF4J, so that it never binds to, configures,
 * or is configured by whatever logging the host application uses. MDC and markers are not used by the agent,
 * so they are inert.
 */
public final class WatchdogServiceProvider implements SLF4JServiceProvider {
    /** The SLF4J API version this backend was written against. */
    public static final String REQUESTED_API_VERSION = "2.0.99";

    private final ILoggerFactory loggerFactory = new WatchdogLoggerFactory();
    private final IMarkerFactory markerFactory = new BasicMarkerFactory();
    private final MDCAdapter mdcAdapter = new NOPMDCAdapter();

    /** Called by {@link java.util.ServiceLoader}. */
    public WatchdogServiceProvider() {
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdcAdapter;
    }

    @Override
    public String getRequestedApiVersion() {
        return REQUESTED_API_VERSION;
    }

    @Override
    public void initialize() {
        // Everything is ready from construction on.
    }
}

package io.smtpwatchdog.log;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

/** A logger of the agent's own SLF4J backend: checks {@link AgentLog}'s threshold, hands events to stderr. */
final class WatchdogLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    WatchdogLogger(String name) {
        this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
        return AgentLog.isEnabled(AgentLog.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return AgentLog.isEnabled(AgentLog.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return AgentLog.isEnabled(AgentLog.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return AgentLog.isEnabled(AgentLog.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return AgentLog.isEnabled(AgentLog.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null; // caller location is never printed
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
            Throwable throwable) {
        StderrWriter.write(level, messagePattern, arguments, throwable);
    }
}

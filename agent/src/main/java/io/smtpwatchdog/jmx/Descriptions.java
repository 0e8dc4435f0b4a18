package io.smtpwatchdog.jmx;

import io.smtpwatchdog.reap.OperatorRelease;

import java.util.HashMap;
import java.util.Map;

/** What a JMX console shows for each attribute, operation and parameter of our MBeans. */
final class Descriptions {
    private static final Map<String, String> TEXT = new HashMap<String, String>();

    static {
        // Watchdog
        put("Version", "The agent's version (the jar's Implementation-Version), or unknown if the jar does not say.");
        put("Mode", "The mode asked for: enforce (close connections whose greeting is overdue) or monitor (only log "
                + "them). Writable; applies to existing connections too.");
        put("ModeInForce", "The mode actually in force, and why if it differs from Mode (a hook the startup "
                + "self-test could not verify keeps the watchdog in monitor mode).");
        put("BannerTimeoutMillis", "Wall-clock time from connect to the complete 220 greeting line, in ms, for "
                + "destinations without their own. Writable; existing connections move to the new deadline.");
        put("DestinationBannerTimeouts", "Destinations with a greeting timeout of their own, in ms.");
        put("Tracked", "SMTP connections open now (awaiting their greeting or in session).");
        put("AwaitingGreeting", "Connections open now whose greeting has not yet arrived.");
        put("InSession", "Connections open now whose greeting has arrived.");
        put("ConnectsTotal", "SMTP connections made since the agent started.");
        put("ClosesTotal", "Connections that ended by a close (the host's, or the agent's reap).");
        put("ReapedTotal", "Connections the agent closed because their greeting, or the reply to a command, did not "
                + "arrive in time; by phase in the Reaped<Phase>Total attributes.");
        put("ReapedGreetingTotal", "Reaps whose 220 greeting did not arrive within bannerTimeout (rescues included).");
        put("ReapedCommandTotal", "Reaps whose reply to EHLO, HELO, STARTTLS, AUTH, RSET, NOOP, QUIT or another "
                + "command (or a TLS handshake after STARTTLS) did not arrive within commandTimeout.");
        put("ReapedMailTotal", "Reaps whose reply to MAIL FROM did not arrive within mailTimeout.");
        put("ReapedRcptTotal", "Reaps whose reply to RCPT TO did not arrive within rcptTimeout.");
        put("ReapedDataTotal", "Reaps whose 354 (or refusal) after DATA did not arrive within dataTimeout.");
        put("ReapedDataEndTotal", "Reaps whose reply after the message's final dot (or last BDAT chunk) did not "
                + "arrive within dataEndTimeout.");
        put("ReplyTimeouts", "The reply deadlines after the greeting, by option (mailTimeout, rcptTimeout, "
                + "dataTimeout, dataEndTimeout, commandTimeout): a duration, or off. On a Domain MBean: those in "
                + "force for that destination.");
        put("DestinationTimeouts", "Deadlines of destinations' own, greeting and reply ones: '<destination> <option>' "
                + "to ms (0 = off).");
        put("setReplyTimeout", "Sets a reply deadline for every destination without its own; waits already running "
                + "are judged by it at the reaper's next look.");
        put("setReplyTimeout.option", "mailTimeout, rcptTimeout, dataTimeout, dataEndTimeout or commandTimeout.");
        put("setReplyTimeout.duration", "A duration like 1500ms, 30s, 5m or 1h, or off.");
        put("setDestinationTimeout", "Gives one destination a deadline of its own, for the greeting or a reply "
                + "phase.");
        put("setDestinationTimeout.destination", "The destination, as named in the Domain MBeans.");
        put("setDestinationTimeout.option", "bannerTimeout, mailTimeout, rcptTimeout, dataTimeout, dataEndTimeout or "
                + "commandTimeout.");
        put("setDestinationTimeout.duration", "A duration like 1500ms, 30s, 5m or 1h; or off, for a reply phase.");
        put("clearDestinationTimeout", "Removes a destination's own deadline for one option; it then follows the "
                + "global one. Returns false if it had none.");
        put("clearDestinationTimeout.destination", "The destination, as named in the Domain MBeans.");
        put("clearDestinationTimeout.option", "bannerTimeout, mailTimeout, rcptTimeout, dataTimeout, dataEndTimeout or "
                + "commandTimeout.");
        put("RescuedTotal", "Connections opened before the agent was live (found at attach or startup) that the agent "
                + "closed because their thread stayed blocked in the same read past the greeting timeout; also "
                + "counted in ReapedTotal.");
        put("FoundBlocked", "Connections opened before the agent was live, found with a host thread blocked reading "
                + "them, still watched (see Connections, state found-blocked).");
        put("OverdueTotal", "Waits whose deadline passed, greetings and replies (reaped, or only reported in monitor "
                + "mode).");
        put("FailedConnectsTotal", "Connects to SMTP destinations that failed (refused, timed out); never tracked.");
        put("AbandonedTotal", "Connections whose socket the host dropped without closing it (found by the "
                + "garbage collector).");
        put("SlotsHeld", "The host's per-domain connection slots, taken through a declared acquire method, not "
                + "given back yet.");
        put("SlotsRecoveredTotal", "Slots the agent gave back on the host's behalf after their connection ended "
                + "and the host did not release them within slotGrace.");
        put("Hooks", "Each JDK hook and its state: verified by the startup self-test, installed, waiting for its "
                + "class to load, not used on this JDK, or failed and why.");
        put("Declarations", "Each method the operator declared (delivery, slotAcquire, slotRelease) and its state.");
        put("Libraries", "Each built-in mail library hook (Angus Mail, javax.mail, Jakarta Mail, Commons Net) and its "
                + "state: waiting for its class, installed in N class loaders, or failed and why.");
        put("Connections", "The live tracked connections: id, destination, remote address, state, age in ms, the "
                + "phase it waits in (greeting, command, mail, rcpt, data, data-end, or idle when the client owes the "
                + "server nothing), what it waits for (greeting, or the command's verb) and for how long in ms, the "
                + "host thread that connected, and the stack that opened it (with captureStacks=true); then the "
                + "connections found blocked at attach or startup (state found-blocked, age = how long the agent "
                + "has seen the thread blocked).");
        put("reapOverdueNow", "Closes every connection whose greeting or reply deadline has passed, even in monitor "
                + "mode. "
                + "Returns how many were closed.");
        put("closeConnection", "Closes one live connection by id (see Connections). Returns false if it ended "
                + "already.");
        put("closeConnection.id", "The connection's id, as in the Connections table.");
        put("setDestinationBannerTimeout", "Gives one destination a greeting timeout of its own; existing "
                + "connections to it move to the new deadline.");
        put("setDestinationBannerTimeout.destination", "The destination, as named in the Domain MBeans.");
        put("setDestinationBannerTimeout.millis", "The greeting timeout in ms, at least 1.");
        put("clearDestinationBannerTimeout", "Removes a destination's own greeting timeout; it then follows "
                + "BannerTimeoutMillis again. Returns false if it had none.");
        put("clearDestinationBannerTimeout.destination", "The destination, as named in the Domain MBeans.");
        put("releaseSlot", "Gives back slots the agent never saw taken (taken before an attach, or leaked by a thread "
                + "rescued otherwise): calls the declared slotRelease count times for the domain, on the one object "
                + "the host has used for its declared slot methods since the agent started. Refused when no "
                + "slotRelease is declared, no such object has been seen yet, or several have (the choice would be a "
                + "guess). Logged; SlotsHeld and SlotsRecoveredTotal do not change. Returns what was called.");
        put("releaseSlot.domain", "The mail domain, passed to slotRelease as given (trimmed): the host's own key.");
        put("releaseSlot.count", "How many times to call slotRelease, 1 to " + OperatorRelease.MAX_COUNT + ".");
        // Domain
        put("Name", "The destination: a recipient domain, or the host name or address connected to.");
        put("Open", "Connections to this destination open now.");
        put("OldestAwaitingMillis", "How long the oldest connection still awaiting its greeting has waited, in "
                + "ms; 0 if none.");
    }

    private Descriptions() {
    }

    private static void put(String key, String text) {
        TEXT.put(key, text);
    }

    /** The description of {@code key} (an attribute, operation, or operation.parameter), or null. */
    static String of(String key) {
        return TEXT.get(key);
    }
}

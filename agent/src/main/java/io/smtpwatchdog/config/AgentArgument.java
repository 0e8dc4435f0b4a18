package io.smtpwatchdog.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Reads the {@code -javaagent:smtp-watchdog-agent.jar=ARGUMENT} text: {@code key=value} pairs separated by
 * {@code ,}, such as {@code bannerTimeout=30s,mode=monitor,ports=25+2525}.
 *
 * <p>Because {@code ,} separates pairs here, a list of ports is joined with {@code +}. ({@code ;} would
 * have done too, but it ends a command in every Unix shell, so an unquoted {@code ports=25;2525} would
 * silently drop half the command line.)
 */
final class AgentArgument {
    static final String SOURCE = "agent argument";

    private AgentArgument() {
    }

    /** Splits the argument into options, in the order written; null or blank means no options. */
    static List<RawOption> read(String argument) throws OptionError {
        List<RawOption> options = new ArrayList<RawOption>();
        if (argument == null || argument.trim().isEmpty()) {
            return options;
        }
        EnumSet<Key> seen = EnumSet.noneOf(Key.class);
        int start = 0;
        while (start <= argument.length()) {
            int end = argument.indexOf(',', start);
            if (end < 0) {
                end = argument.length();
            }
            String pair = argument.substring(start, end).trim();
            int equals = pair.indexOf('=');
            String keyText = equals < 0 ? "" : pair.substring(0, equals).trim();
            if (keyText.isEmpty()) {
                throw malformed(argument, pair);
            }
            Key key = Key.byText(keyText);
            if (key == null) {
                throw new OptionError(Messages.PREFIX + "unknown option '" + Messages.shown(keyText) + "' (from "
                        + SOURCE + "); known options: " + Key.listTexts(null));
            }
            if (!seen.add(key)) {
                throw new OptionError(Messages.PREFIX + "option " + key.text + " is given twice (from " + SOURCE
                        + "): expected each option at most once");
            }
            options.add(new RawOption(key, pair.substring(equals + 1).trim(), RawOption.Kind.AGENT_ARGUMENT, SOURCE));
            start = end + 1;
        }
        return options;
    }

    private static OptionError malformed(String argument, String pair) {
        String problem = pair.isEmpty()
                ? "bad agent argument '" + Messages.shown(argument) + "' (it has an empty pair: two commas in a row,"
                        + " or one at an end)"
                : "bad option '" + Messages.shown(pair) + "' (from " + SOURCE + ")";
        return new OptionError(Messages.PREFIX + problem + ": expected key=value pairs separated by ','"
                + " (join several ports with '+', as in ports=25+2525)");
    }
}

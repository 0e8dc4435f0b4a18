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
 *
 * <p>A {@code ,} inside parentheses does not separate pairs: it belongs to the value, as in the parameter list of
 * {@code delivery=com.acme.mail.Relay#deliver(java.lang.String,..)@0,mode=monitor} (two pairs). Parentheses must
 * therefore balance: a {@code (} never closed would swallow every pair after it, so it is an error, and so is a
 * {@code )} without its {@code (}.
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
            int end = pairEnd(argument, start);
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

    /**
     * Returns the index of the {@code ,} that ends the pair starting at {@code start}, or the argument's length:
     * the first {@code ,} outside parentheses.
     */
    private static int pairEnd(String argument, int start) throws OptionError {
        int depth = 0;
        int opened = -1;
        for (int i = start; i < argument.length(); i++) {
            char c = argument.charAt(i);
            if (c == '(') {
                if (depth++ == 0) {
                    opened = i;
                }
            } else if (c == ')') {
                if (depth == 0) {
                    int comma = argument.indexOf(',', i);
                    throw unbalanced(argument.substring(start, comma < 0 ? argument.length() : comma),
                            "a ')' has no '(' before it");
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        if (depth > 0) {
            boolean swallowed = argument.indexOf(',', opened) >= 0;
            throw unbalanced(argument.substring(start), "a '(' is never closed"
                    + (swallowed ? ", so every ',' after it is taken as part of the value" : ""));
        }
        return argument.length();
    }

    private static OptionError unbalanced(String pair, String problem) {
        return new OptionError(Messages.PREFIX + "bad option '" + Messages.shown(pair.trim()) + "' (from " + SOURCE
                + "): its parentheses do not balance, " + problem + "; expected key=value pairs separated by ',',"
                + " a ',' inside (...) being part of the value, as in"
                + " delivery=com.acme.mail.Relay#deliver(java.lang.String,..)@0,mode=monitor");
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

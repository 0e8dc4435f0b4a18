package io.smtpwatchdog.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code SMTPWATCHDOG_<KEY>=value} options, KEY being the key in upper snake case, such as
 * {@code SMTPWATCHDOG_BANNER_TIMEOUT=30s}. Names are matched exactly, upper case.
 */
final class EnvironmentVariables {
    private EnvironmentVariables() {
    }

    /** Returns the options in {@code environment}, ordered by name so that errors come out the same each run. */
    static List<RawOption> read(Map<String, String> environment) throws OptionError {
        List<RawOption> options = new ArrayList<RawOption>();
        if (environment == null) {
            return options;
        }
        TreeMap<String, String> ours = new TreeMap<String, String>();
        for (Map.Entry<String, String> variable : environment.entrySet()) {
            String name = variable.getKey();
            if (name != null && name.startsWith(Key.ENVIRONMENT_PREFIX) && variable.getValue() != null) {
                ours.put(name, variable.getValue());
            }
        }
        for (Map.Entry<String, String> variable : ours.entrySet()) {
            String name = variable.getKey();
            Key key = Key.byEnvironmentVariable(name);
            if (key == null) {
                throw new OptionError(Messages.PREFIX + "unknown option '" + Messages.shown(name)
                        + "' (from environment); known options: " + Key.listEnvironmentVariables());
            }
            options.add(new RawOption(key, variable.getValue().trim(), RawOption.Kind.ENVIRONMENT,
                    "environment variable " + name));
        }
        return options;
    }
}

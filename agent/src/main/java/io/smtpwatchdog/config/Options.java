package io.smtpwatchdog.config;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Resolves the agent's {@link Settings} from every place an operator may have put them.
 *
 * <p>Keys: {@code bannerTimeout}, {@code mode}, {@code ports}, {@code logLevel}, {@code maxDestinations},
 * {@code startupWait}, {@code slotGrace}, {@code delivery}, {@code slotAcquire}, {@code slotRelease} (see
 * {@link Declaration}) and {@code config}. Sources, highest precedence first:
 * <ol>
 *   <li>the agent argument, {@code -javaagent:smtp-watchdog-agent.jar=bannerTimeout=30s,ports=25+2525}:
 *       {@code key=value} pairs separated by {@code ,}; as {@code ,} separates pairs, ports are joined with
 *       {@code +}; a {@code ,} inside parentheses belongs to the value, and parentheses must balance;</li>
 *   <li>system properties {@code smtpwatchdog.<key>}, such as {@code -Dsmtpwatchdog.bannerTimeout=30s};</li>
 *   <li>environment variables {@code SMTPWATCHDOG_<KEY>}, KEY in upper snake case: {@code BANNER_TIMEOUT},
 *       {@code MODE}, {@code PORTS}, {@code LOG_LEVEL}, {@code MAX_DESTINATIONS}, {@code STARTUP_WAIT},
 *       {@code SLOT_GRACE}, {@code DELIVERY}, {@code SLOT_ACQUIRE}, {@code SLOT_RELEASE}, {@code CONFIG};</li>
 *   <li>the {@link java.util.Properties} file named by {@code config} (from any source above, never from the
 *       file itself), keys without prefix, such as {@code bannerTimeout=30s};</li>
 *   <li>the defaults, see {@link Settings#defaults()}.</li>
 * </ol>
 * Outside the agent argument, ports may be separated by {@code ,} as well as {@code +}. Keys are case-sensitive;
 * values are trimmed, and {@code mode}, {@code logLevel} and duration units are case-insensitive.
 *
 * <p>Every value given is checked, even one a higher source overrides, and so is every key under our prefix:
 * a typo lurking in a lower source should fail now, not on the day the override is removed.
 *
 * <p>Runs in premain, so it uses the JDK only (and no lambdas, whose bootstrap costs startup time).
 */
public final class Options {
    private Options() {
    }

    /**
     * Resolves the settings. Deterministic: the same inputs give the same settings or the same error.
     *
     * @param agentArgs the agent argument; null or blank means none
     * @param systemProperties usually {@link System#getProperties()}; only names starting {@code smtpwatchdog.}
     *     are read; null means none
     * @param environment usually {@link System#getenv()}; only names starting {@code SMTPWATCHDOG_} are read;
     *     null means none
     * @return the effective settings
     * @throws OptionError on the first problem found, in precedence order of sources; nothing else is thrown
     */
    public static Settings resolve(String agentArgs, Properties systemProperties, Map<String, String> environment)
            throws OptionError {
        try {
            EnumMap<Key, Object> values = new EnumMap<Key, Object>(Key.class);
            EnumMap<Key, String> sources = new EnumMap<Key, String>(Key.class);
            take(AgentArgument.read(agentArgs), values, sources);
            take(SystemProperties.read(systemProperties), values, sources);
            take(EnvironmentVariables.read(environment), values, sources);
            String config = (String) values.get(Key.CONFIG);
            if (config != null) {
                take(ConfigFile.read(config, sources.get(Key.CONFIG)), values, sources);
            }
            return new Settings(values, sources);
        } catch (RuntimeException e) {
            // Say what little we know, rather than let a bug of ours propagate into premain's caller.
            throw new OptionError(Messages.PREFIX + "could not read options: " + e.getClass().getName() + ": "
                    + Messages.shown(e.getMessage()));
        }
    }

    /** Checks every option, and keeps those whose key no higher source has set. */
    private static void take(List<RawOption> options, Map<Key, Object> values, Map<Key, String> sources)
            throws OptionError {
        for (RawOption option : options) {
            Object value = Values.parse(option);
            if (!values.containsKey(option.key)) {
                values.put(option.key, value);
                sources.put(option.key, option.source);
            }
        }
    }
}

package io.smtpwatchdog.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

/** Reads {@code -Dsmtpwatchdog.<key>=value} options, such as {@code -Dsmtpwatchdog.bannerTimeout=30s}. */
final class SystemProperties {
    private SystemProperties() {
    }

    /** Returns the options among {@code properties}, ordered by name so that errors come out the same each run. */
    static List<RawOption> read(Properties properties) throws OptionError {
        List<RawOption> options = new ArrayList<RawOption>();
        if (properties == null) {
            return options;
        }
        // stringPropertyNames() is a snapshot, so a host thread setting properties meanwhile cannot upset us.
        for (String name : new TreeSet<String>(properties.stringPropertyNames())) {
            if (!name.startsWith(Key.PROPERTY_PREFIX)) {
                continue;
            }
            String value = properties.getProperty(name);
            if (value == null) {
                continue; // removed since the snapshot
            }
            Key key = Key.byText(name.substring(Key.PROPERTY_PREFIX.length()));
            if (key == null) {
                throw new OptionError(Messages.PREFIX + "unknown option '" + Messages.shown(name)
                        + "' (from system properties); known options: " + Key.listSystemProperties());
            }
            options.add(new RawOption(key, value.trim(), RawOption.Kind.SYSTEM_PROPERTY, "system property " + name));
        }
        return options;
    }
}

package io.smtpwatchdog.config;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the properties file named by the {@code config} option: {@link Properties} format, keys without
 * prefix ({@code bannerTimeout=30s}); a list of ports may be separated by {@code ,} or {@code +}. Several declarations
 * may span lines, each line but the last ending with {@code \} (a space before it keeps the declarations apart, as
 * the continuation line's leading whitespace is dropped):
 * <pre>
 * slotAcquire = com.acme.Limiter#acquire(java.lang.String)@0 \
 *               com.acme.Limiter#tryAcquire(java.lang.String,long)@0
 * </pre>
 */
final class ConfigFile {
    /** Far more than any real config; keeps a mistaken path to a huge file from eating the host's heap. */
    static final int MAX_BYTES = 64 * 1024;

    private ConfigFile() {
    }

    /**
     * Returns the file's options in file order.
     *
     * @param path the {@code config} value; a relative path is relative to the JVM's working directory
     * @param namedBy where the path came from, e.g. "agent argument"
     */
    static List<RawOption> read(String path, String namedBy) throws OptionError {
        // The path goes into every message about the file's options, which must stay one line each.
        String source = "config file " + Messages.oneLine(path);
        Map<String, String> entries = parse(load(path, namedBy), path, namedBy);
        List<RawOption> options = new ArrayList<RawOption>();
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            String name = entry.getKey();
            Key key = Key.byText(name);
            if (key == null) {
                throw new OptionError(Messages.PREFIX + "unknown option '" + Messages.shown(name) + "' (from "
                        + source + "); known options: " + Key.listTexts(Key.CONFIG));
            }
            if (key == Key.CONFIG) {
                throw new OptionError(Messages.PREFIX + "option config is not allowed (from " + source
                        + "): a config file cannot name another; expected config in the agent argument, system"
                        + " property " + key.systemProperty() + " or environment variable " + key.environmentVariable());
            }
            options.add(new RawOption(key, entry.getValue().trim(), RawOption.Kind.CONFIG_FILE, source));
        }
        return options;
    }

    private static byte[] load(String path, String namedBy) throws OptionError {
        File file = new File(path);
        if (!file.isFile()) {
            throw unreadable(path, namedBy, file.isDirectory() ? "it is a directory" : "no such file");
        }
        try (InputStream in = new FileInputStream(file)) {
            byte[] buffer = new byte[MAX_BYTES + 1];
            int length = 0;
            int read;
            while (length < buffer.length && (read = in.read(buffer, length, buffer.length - length)) > 0) {
                length += read;
            }
            if (length > MAX_BYTES) {
                throw unreadable(path, namedBy, "it is larger than " + MAX_BYTES + " bytes");
            }
            return Arrays.copyOf(buffer, length);
        } catch (IOException e) {
            throw unreadable(path, namedBy, e.getMessage() == null ? e.getClass().getName() : e.getMessage());
        }
    }

    /** Parses the content, refusing duplicate keys, which {@link Properties} alone would silently resolve. */
    private static Map<String, String> parse(byte[] content, String path, String namedBy) throws OptionError {
        final Map<String, String> entries = new LinkedHashMap<String, String>();
        final String[] duplicate = new String[1];
        Properties collector = new Properties() {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Object put(Object key, Object value) {
                // Properties.load hands every parsed line to put(), in file order.
                if (entries.put(String.valueOf(key), String.valueOf(value)) != null && duplicate[0] == null) {
                    duplicate[0] = String.valueOf(key);
                }
                return null;
            }
        };
        // A UTF-8 byte order mark, as some editors write, would otherwise become part of the first key.
        int skip = content.length >= 3 && content[0] == (byte) 0xEF && content[1] == (byte) 0xBB
                && content[2] == (byte) 0xBF ? 3 : 0;
        try {
            collector.load(new ByteArrayInputStream(content, skip, content.length - skip));
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException is how Properties reports a malformed \\uXXXX escape.
            throw new OptionError(Messages.PREFIX + "malformed config file '" + Messages.shown(path) + "' (named by "
                    + namedBy + "): " + Messages.shown(e.getMessage())
                    + "; expected java.util.Properties format, one key=value per line");
        }
        if (duplicate[0] != null) {
            throw new OptionError(Messages.PREFIX + "option " + Messages.shown(duplicate[0]) + " is given twice (from "
                    + "config file " + Messages.shown(path) + "): expected each option at most once");
        }
        return entries;
    }

    private static OptionError unreadable(String path, String namedBy, String problem) {
        File file = new File(path);
        String resolved = file.isAbsolute() ? "" : ", resolved to " + Messages.shown(file.getAbsolutePath());
        return new OptionError(Messages.PREFIX + "cannot read config file '" + Messages.shown(path) + "' (named by "
                + namedBy + resolved + "): " + Messages.shown(problem) + "; expected "
                + Values.form(Key.CONFIG, RawOption.Kind.CONFIG_FILE));
    }
}

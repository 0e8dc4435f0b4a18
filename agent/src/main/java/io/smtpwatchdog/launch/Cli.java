package io.smtpwatchdog.launch;

import io.smtpwatchdog.config.OptionError;
import io.smtpwatchdog.config.Options;
import io.smtpwatchdog.config.Settings;

import java.util.Collections;
import java.util.Properties;

/**
 * {@code java -jar smtp-watchdog-agent.jar}: the operator's side of the agent jar. For now it validates options
 * without starting anything; status and attach come with the JMX work.
 */
public final class Cli {
    private static final String USAGE = "usage: java -jar smtp-watchdog-agent.jar check [key=value,...]\n"
            + "  check   validate agent options (and the file named by config=) without starting anything;\n"
            + "          exit 0 and print the effective settings, or exit 2 and print what is wrong";

    private Cli() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            System.out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        if (args[0].equals("check")) {
            if (args.length > 2) {
                System.err.println("smtp-watchdog: check takes one argument, the options as for -javaagent "
                        + "(key=value pairs separated by ','); got " + (args.length - 1));
                return 2;
            }
            try {
                // Only what is on the command line: the operator checks what they are about to pass.
                Settings s = Options.resolve(args.length == 2 ? args[1] : "", new Properties(),
                        Collections.<String, String>emptyMap());
                System.out.println("ok: " + s.describe());
                return 0;
            } catch (OptionError e) {
                System.err.println(e.getMessage());
                return 2;
            }
        }
        System.err.println("smtp-watchdog: unknown command '" + args[0] + "'\n" + USAGE);
        return 2;
    }
}

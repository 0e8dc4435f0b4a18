package io.smtpwatchdog.launch;

import io.smtpwatchdog.Version;
import io.smtpwatchdog.config.Durations;
import io.smtpwatchdog.config.OptionError;
import io.smtpwatchdog.config.Options;
import io.smtpwatchdog.config.Settings;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;

/**
 * {@code java -jar smtp-watchdog-agent.jar}: the operator's side of the agent jar: check options, show a running
 * agent's status, attach the agent to a running JVM, give back a host's slots through the running agent. Every
 * failure is one line and exit code 2.
 */
public final class Cli {
    private static final String USAGE = "usage: java -jar smtp-watchdog-agent.jar <command>\n"
            + "  check [key=value,...]          validate agent options as the agent would read them here (this\n"
            + "                                 argument, -Dsmtpwatchdog.* and SMTPWATCHDOG_* of this shell, the\n"
            + "                                 file named by config=) without starting anything; print the\n"
            + "                                 effective settings and where each came from\n"
            + "  status <pid> [--watch[=2s]] [--stacks]\n"
            + "                                 a table of the running agent's destinations in process <pid>;\n"
            + "                                 --stacks adds the host's frames above each live connect (an agent\n"
            + "                                 started with captureStacks=true)\n"
            + "  attach <pid> [key=value,...]   load the agent into the running JVM <pid>: new connections are\n"
            + "                                 watched, threads already stuck in a greeting read are rescued;\n"
            + "                                 refused if an agent is active there\n"
            + "  release-slot <pid> <domain> [count]\n"
            + "                                 call the declared slotRelease count times (default 1, at most\n"
            + "                                 1000) for <domain>, to give back slots the agent never saw taken\n"
            + "  --version                      print this jar's version\n"
            + "exit code 0 on success, 2 with one line saying what is wrong";

    private Cli() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        QuietJdkLogs.apply();
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("version"))) {
            System.out.println("smtp-watchdog " + Version.current());
            return 0;
        }
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
                // Every source the agent would read in this environment: the argument, this JVM's -D properties
                // and environment, and the config file; so an override that breaks the agent breaks the check too.
                Settings s = Options.resolve(args.length == 2 ? args[1] : "", System.getProperties(),
                        System.getenv());
                System.out.println("ok: " + s.describe());
                for (Map.Entry<String, String> e : s.values().entrySet()) {
                    System.out.println("  " + e.getKey() + "=" + e.getValue() + "  (" + s.sourceOf(e.getKey()) + ")");
                }
                return 0;
            } catch (OptionError e) {
                System.err.println(e.getMessage());
                return 2;
            }
        }
        try {
            if (args[0].equals("status")) {
                return status(args);
            }
            if (args[0].equals("attach")) {
                return attach(args);
            }
            if (args[0].equals("release-slot")) {
                return ReleaseSlot.run(args, System.out);
            }
        } catch (CliError e) {
            System.err.println("smtp-watchdog: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            return 0;
        } catch (Exception e) {
            System.err.println("smtp-watchdog: " + args[0] + " failed: " + e);
            return 2;
        }
        System.err.println("smtp-watchdog: unknown command '" + args[0] + "'\n" + USAGE);
        return 2;
    }

    private static int status(String[] args) throws Exception {
        String usage = "usage: status <pid> [--watch[=2s]] [--stacks]";
        if (args.length < 2 || args.length > 4) {
            throw new CliError(usage);
        }
        long every = 0;
        boolean stacks = false;
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("--stacks") && !stacks) {
                stacks = true;
            } else if (args[i].startsWith("--watch") && every == 0
                    && (args[i].equals("--watch") || args[i].startsWith("--watch="))) {
                String spec = args[i].equals("--watch") ? "2s" : args[i].substring("--watch=".length());
                try {
                    every = Durations.parseMillis(spec);
                } catch (IllegalArgumentException e) {
                    throw new CliError("--watch takes a duration like 2s or 500ms, not '" + spec + "'");
                }
                if (every == 0) {
                    throw new CliError("--watch takes a duration like 2s or 500ms, not '" + spec + "'");
                }
            } else {
                throw new CliError(usage + "; not '" + args[i] + "'");
            }
        }
        Status s = Status.of(args[1]);
        try {
            do {
                // A frame is printed whole once read: a target that goes away mid-read leaves no partial table.
                ByteArrayOutputStream frame = new ByteArrayOutputStream();
                PrintStream out = new PrintStream(frame);
                if (every > 0) {
                    // Frames scroll past, or land in a file: each says when it was read.
                    out.println(Status.frameTime(System.currentTimeMillis()));
                }
                s.print(out);
                if (stacks) {
                    s.printStacks(out);
                }
                out.flush();
                System.out.write(frame.toByteArray(), 0, frame.size());
                System.out.flush();
                if (every > 0) {
                    Thread.sleep(every);
                    System.out.println();
                }
            } while (every > 0);
        } catch (java.io.IOException gone) {
            throw new CliError("process " + args[1] + " went away");
        } finally {
            s.close();
        }
        return 0;
    }

    private static int attach(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            throw new CliError("usage: attach <pid> [key=value,...]");
        }
        String options = args.length == 3 ? args[2] : "";
        try {
            // Checked here first: a bad option must not travel into a production JVM to be refused there.
            Options.resolve(options, new Properties(), Collections.<String, String>emptyMap());
        } catch (OptionError e) {
            System.err.println(e.getMessage());
            return 2;
        }
        String jar = new File(Cli.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        Attach vm = Attach.to(args[1]);
        try {
            String active = vm.systemProperty(ActiveMarker.PROPERTY);
            if (active != null) {
                throw new CliError("process " + args[1] + " already runs an SMTP Watchdog agent, with " + active
                        + "; not loading a second one: " + ActiveMarker.instead());
            }
            vm.loadAgent(jar, options);
        } finally {
            vm.detach();
        }
        Status s = Status.of(args[1]);
        try {
            System.out.println("attached: " + s.summary());
            System.out.println("connections opened before the attach are looked for too: a host thread stuck in one "
                    + "of their greeting reads is rescued after bannerTimeout; the target's log names each one found");
        } finally {
            s.close();
        }
        return 0;
    }
}

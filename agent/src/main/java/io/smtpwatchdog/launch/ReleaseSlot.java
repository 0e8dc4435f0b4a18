package io.smtpwatchdog.launch;

import io.smtpwatchdog.reap.OperatorRelease;

import java.io.IOException;
import java.io.PrintStream;
import javax.management.ObjectName;
import javax.management.ReflectionException;

/**
 * {@code release-slot <pid> <domain> [count]}: invokes the running agent's JMX operation {@code releaseSlot}, which
 * calls the host's declared {@code slotRelease}, through the same connection {@code status} makes. What the
 * arguments can be checked for here is checked before the target is touched; the agent checks the rest and says why
 * it refuses, and that sentence becomes the one line.
 */
final class ReleaseSlot {
    static final String USAGE = "usage: release-slot <pid> <domain> [count]";

    private ReleaseSlot() {
    }

    static int run(String[] args, PrintStream out) throws CliError {
        if (args.length < 3 || args.length > 4) {
            throw new CliError(USAGE);
        }
        String pid = args[1];
        String domain = args[2].trim();
        if (domain.isEmpty()) {
            throw new CliError("release-slot needs the mail domain whose slots to release, not an empty one");
        }
        int count = args.length == 4 ? count(args[3]) : 1;
        Status s = Status.of(pid);
        try {
            String called = invoke(s, pid, domain, count);
            out.println("released " + count + (count == 1 ? " slot" : " slots") + " of " + domain + " in process "
                    + pid + ": " + called);
        } finally {
            s.close();
        }
        return 0;
    }

    /** The count argument, 1 to {@link OperatorRelease#MAX_COUNT}. */
    static int count(String text) throws CliError {
        int n = -1;
        if (text.matches("[0-9]{1,7}")) {
            n = Integer.parseInt(text);
        }
        if (n < 1 || n > OperatorRelease.MAX_COUNT) {
            throw new CliError("count is how many slots to release, a number from 1 to " + OperatorRelease.MAX_COUNT
                    + ", not '" + text + "'");
        }
        return n;
    }

    private static String invoke(Status s, String pid, String domain, int count) throws CliError {
        try {
            return String.valueOf(s.connection().invoke(new ObjectName("smtpwatchdog:type=Watchdog"), "releaseSlot",
                    new Object[] {domain, count}, new String[] {String.class.getName(), int.class.getName()}));
        } catch (ReflectionException e) {
            throw new CliError("the agent in process " + pid + " has no releaseSlot operation (a version older than "
                    + "this command?): " + rootMessage(e));
        } catch (IOException e) {
            throw new CliError("process " + pid + " went away");
        } catch (Exception e) {
            // RuntimeMBeanException and the like: the agent's own refusal is the innermost message.
            throw new CliError("process " + pid + " refused release-slot: " + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable t) {
        String message = t.toString();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null) {
                message = c.getMessage();
            }
        }
        return message.replace('\n', ' ');
    }
}

package io.smtpwatchdog.launch;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Tells, before attaching, whether a pid is a running JVM, from {@code /proc}: the attach API would otherwise signal
 * a process that is no JVM and wait ~10 s for an answer that never comes, then say so in its own words.
 *
 * <p>The JVM's library in {@code maps} is the first sign. Where {@code maps} cannot be read (another user's process,
 * or one the kernel hides), {@code status}'s caught signals are the second: the attach API starts a JVM's attach
 * listener with SIGQUIT, so a process that does not catch it, and has no listener socket yet, cannot be attached to;
 * on JDKs before 20 the attach would even kill it with that signal. Only a sure "no" refuses: without {@code /proc}
 * (not Linux), or when neither can be read, the attach goes ahead as before.
 */
final class JavaProcess {
    private JavaProcess() {
    }

    /** Throws the one line to show if {@code pid} is surely not a running JVM. */
    static void require(String pid) throws CliError {
        require(new File("/proc"), pid);
    }

    static void require(File proc, String pid) throws CliError {
        if (!new File(proc, "self").exists()) {
            return; // no procfs here: nothing to tell from
        }
        File maps = new File(new File(proc, pid), "maps");
        if (!maps.getParentFile().isDirectory()) {
            throw new CliError("there is no process " + pid + " (jps or jcmd -l list the Java processes)");
        }
        Boolean jvm = loadsLibjvm(maps);
        if (Boolean.FALSE.equals(jvm)) {
            throw new CliError("process " + pid + " is not a Java process (no JVM loaded in it); jps or jcmd -l "
                    + "list the Java processes");
        }
        if (jvm == null && Boolean.FALSE.equals(catchesSigquit(new File(maps.getParentFile(), "status")))
                && !new File(proc, pid + "/root/tmp/.java_pid" + pid).exists()
                && !new File("/tmp/.java_pid" + pid).exists()) {
            throw new CliError("process " + pid + " is not a Java process that can be attached to (it does not catch "
                    + "SIGQUIT, as a JVM does); jps or jcmd -l list the Java processes");
        }
    }

    /** Whether the SigCgt mask in a {@code status} file has SIGQUIT (3); null when that cannot be read. */
    static Boolean catchesSigquit(File status) {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream(status),
                    StandardCharsets.ISO_8859_1));
            try {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("SigCgt:")) {
                        String hex = line.substring("SigCgt:".length()).trim();
                        // Signal n is bit n-1; SIGQUIT is in the last hex digit, as 0x4.
                        return (Character.digit(hex.charAt(hex.length() - 1), 16) & 0x4) != 0;
                    }
                }
                return null;
            } finally {
                in.close();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether the process has the JVM's library mapped; null when that cannot be read. */
    private static Boolean loadsLibjvm(File maps) {
        BufferedReader in;
        try {
            in = new BufferedReader(new InputStreamReader(new FileInputStream(maps), StandardCharsets.ISO_8859_1));
        } catch (IOException | SecurityException e) {
            return null;
        }
        try {
            boolean any = false;
            for (String line; (line = in.readLine()) != null; ) {
                any = true;
                // libjvm.so on Linux; a JVM statically linked into its launcher maps no such file, but cannot attach.
                if (line.endsWith("/libjvm.so")) {
                    return Boolean.TRUE;
                }
            }
            // An unreadable maps file of another user's process reads as empty on some kernels: no verdict then.
            return any ? Boolean.FALSE : null;
        } catch (IOException e) {
            return null;
        } finally {
            try {
                in.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
    }
}

package io.smtpwatchdog.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The check before an attach: only a process surely without a JVM is refused, at once and in one line. */
class JavaProcessTest {
    @TempDir
    Path proc;

    private void process(String pid, String maps) throws Exception {
        Files.createDirectories(proc.resolve("self"));
        Files.createDirectories(proc.resolve(pid));
        if (maps != null) {
            Files.writeString(proc.resolve(pid).resolve("maps"), maps);
        }
    }

    @Test
    void aProcessWithoutLibjvmIsNotAJavaProcess() throws Exception {
        process("42", "5581e000-55820000 r--p 00000000 08:01 1 /usr/bin/sleep\n"
                + "7f00-7f01 r-xp 00000000 08:01 2 /usr/lib/x86_64-linux-gnu/libc.so.6\n");
        CliError e = assertThrows(CliError.class, () -> JavaProcess.require(proc.toFile(), "42"));
        assertEquals("process 42 is not a Java process (no JVM loaded in it); jps or jcmd -l list the Java processes",
                e.getMessage());
    }

    @Test
    void aProcessWithLibjvmGoesOnToTheAttach() throws Exception {
        process("43", "7f00-7f01 r-xp 00000000 08:01 3 /usr/lib/jvm/temurin-17/lib/server/libjvm.so\n");
        assertDoesNotThrow(() -> JavaProcess.require(proc.toFile(), "43"));
    }

    @Test
    void aMissingProcessIsSaidSo() throws Exception {
        process("44", null);
        CliError e = assertThrows(CliError.class, () -> JavaProcess.require(proc.toFile(), "45"));
        assertEquals("there is no process 45 (jps or jcmd -l list the Java processes)", e.getMessage());
    }

    @Test
    void withoutMapsAProcessThatDoesNotCatchSigquitIsNotAttachable() throws Exception {
        process("50", null);
        Files.writeString(proc.resolve("50/status"), "Name:\tprocess_api\nSigCgt:\t00000000000004e8\n");
        CliError e = assertThrows(CliError.class, () -> JavaProcess.require(proc.toFile(), "50"));
        assertEquals("process 50 is not a Java process that can be attached to (it does not catch SIGQUIT, as a JVM "
                + "does); jps or jcmd -l list the Java processes", e.getMessage());
        process("51", null);
        Files.writeString(proc.resolve("51/status"), "Name:\tjava\nSigCgt:\t2000000181005ccf\n");
        assertDoesNotThrow(() -> JavaProcess.require(proc.toFile(), "51"), "a JVM catches SIGQUIT");
        Files.createDirectories(proc.resolve("50/root/tmp"));
        Files.createFile(proc.resolve("50/root/tmp/.java_pid50"));
        assertDoesNotThrow(() -> JavaProcess.require(proc.toFile(), "50"), "its attach listener already runs");
    }

    @Test
    void whatCannotBeReadIsLeftToTheAttach() throws Exception {
        process("46", null); // no maps file: unreadable, as another user's process can be
        assertDoesNotThrow(() -> JavaProcess.require(proc.toFile(), "46"));
        process("47", ""); // empty, as some kernels show another user's
        assertDoesNotThrow(() -> JavaProcess.require(proc.toFile(), "47"));
        File noProcfs = proc.resolve("elsewhere").toFile();
        assertDoesNotThrow(() -> JavaProcess.require(noProcfs, "48"), "no /proc: not Linux, nothing to tell from");
    }

    @Test
    void thisJvmIsAJavaProcess() {
        assertDoesNotThrow(() -> JavaProcess.require(String.valueOf(ProcessHandle.current().pid())));
    }
}

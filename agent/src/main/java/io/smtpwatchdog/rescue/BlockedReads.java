package io.smtpwatchdog.rescue;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * Which of this process's threads are blocked reading which file descriptor, from Linux's {@code /proc/self/task}.
 *
 * <p>The JDK records neither who waits on a socket nor since when; the kernel does. {@code syscall} names the call a
 * blocked task sits in and its arguments; for {@code poll} the fd is read from the task's {@code struct pollfd} in
 * {@code /proc/self/mem}. A task's context-switch count tells whether it stayed in the very same call between two
 * looks: a reader that got data and blocked again has switched at least twice.
 */
final class BlockedReads {
    private static final File TASKS = new File("/proc/self/task");
    private static final int POLLIN = 1;

    private final Syscall calls;

    private BlockedReads(Syscall calls) {
        this.calls = calls;
    }

    /** For this machine, or null when the kernel or architecture does not show it ({@link #whyNot()} says why). */
    static BlockedReads forThisMachine() {
        Syscall s = Syscall.forThisMachine();
        return s == null || !TASKS.isDirectory() ? null : new BlockedReads(s);
    }

    static String whyNot() {
        if (!TASKS.isDirectory()) {
            return "no /proc/self/task (not Linux): a platform thread's blocked read cannot be told";
        }
        return "the system call numbers of os.arch=" + System.getProperty("os.arch") + " are not known";
    }

    /** One task blocked reading one fd. */
    static final class Wait {
        final int tid;
        final int fd;
        /** The whole {@code syscall} line: the same call, with the same arguments, reads the same. */
        final String call;
        final long switches;

        Wait(int tid, int fd, String call, long switches) {
            this.tid = tid;
            this.fd = fd;
            this.call = call;
            this.switches = switches;
        }

        /** Whether {@code later} is this same wait, never left in between. */
        boolean sameAs(Wait later) {
            return later != null && later.tid == tid && later.fd == fd && later.call.equals(call)
                    && later.switches == switches;
        }
    }

    /** Every task blocked reading an fd now, by fd (one per fd: a socket has one reader at a time). */
    Map<Integer, Wait> sample() {
        Map<Integer, Wait> byFd = new HashMap<Integer, Wait>();
        String[] tids = TASKS.list();
        if (tids == null) {
            return byFd;
        }
        Memory mem = new Memory();
        int self = selfTid();
        try {
            for (String t : tids) {
                int tid;
                try {
                    tid = Integer.parseInt(t);
                } catch (NumberFormatException notATask) {
                    continue;
                }
                if (tid == self) {
                    continue; // this very look, reading /proc: never a socket, and it would make every look new
                }
                Wait w = look(tid, mem);
                if (w != null) {
                    byFd.put(w.fd, w);
                }
            }
        } finally {
            mem.close();
        }
        return byFd;
    }

    /** The read task {@code tid} is blocked in now, or null. */
    Wait now(int tid) {
        Memory mem = new Memory();
        try {
            return look(tid, mem);
        } finally {
            mem.close();
        }
    }

    private Wait look(int tid, Memory mem) {
        String line = readLine(new File(TASKS, tid + "/syscall"));
        if (line == null || line.isEmpty() || !Character.isDigit(line.charAt(0))) {
            return null; // "running", or "-1 ..." when not in a system call
        }
        String[] f = line.split(" ");
        if (f.length < 3) {
            return null;
        }
        int nr;
        try {
            nr = Integer.parseInt(f[0]);
        } catch (NumberFormatException e) {
            return null;
        }
        int fd;
        if (calls.readsFd(nr)) {
            fd = (int) hex(f[1]);
        } else if (calls.polls(nr) && hex(f[2]) == 1 && mem.file() != null) {
            fd = pollFd(mem.file(), hex(f[1]));
        } else {
            return null;
        }
        if (fd < 0) {
            return null;
        }
        long switches = switches(tid);
        return switches < 0 ? null : new Wait(tid, fd, line, switches);
    }

    /** The fd of a {@code struct pollfd} that waits for input, or -1. */
    private static int pollFd(RandomAccessFile mem, long address) {
        if (address <= 0) {
            return -1;
        }
        try {
            byte[] b = new byte[8];
            mem.seek(address);
            mem.readFully(b);
            int fd = (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
            int events = (b[4] & 0xff) | (b[5] & 0xff) << 8;
            return (events & POLLIN) != 0 ? fd : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Voluntary plus involuntary context switches of {@code tid}, or -1. */
    private static long switches(int tid) {
        try {
            long n = 0;
            int seen = 0;
            for (String l : Files.readAllLines(new File(TASKS, tid + "/status").toPath(), StandardCharsets.UTF_8)) {
                if (l.startsWith("voluntary_ctxt_switches:") || l.startsWith("nonvoluntary_ctxt_switches:")) {
                    n += Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
                    seen++;
                }
            }
            return seen == 2 ? n : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The calling thread's task id, from {@code /proc/thread-self} (Linux 3.17+), or -1. */
    private static int selfTid() {
        try {
            String link = Files.readSymbolicLink(new File("/proc/thread-self").toPath()).toString();
            return Integer.parseInt(link.substring(link.lastIndexOf('/') + 1));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long hex(String s) {
        try {
            return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String readLine(File f) {
        try {
            byte[] b = Files.readAllBytes(f.toPath());
            String s = new String(b, StandardCharsets.US_ASCII);
            int nl = s.indexOf('\n');
            return nl < 0 ? s.trim() : s.substring(0, nl).trim();
        } catch (IOException | RuntimeException e) {
            return null; // the task ended meanwhile
        }
    }

    /**
     * {@code /proc/self/mem}, opened only when a look meets a task in {@code poll}: a re-check made under the
     * Cleaner's lock for a reader in {@code read} opens nothing.
     */
    private static final class Memory {
        private RandomAccessFile file;
        private boolean tried;

        RandomAccessFile file() {
            if (!tried) {
                tried = true;
                try {
                    file = new RandomAccessFile("/proc/self/mem", "r");
                } catch (IOException | RuntimeException e) {
                    file = null; // a hardened kernel: poll waits stay unknown, read waits are still seen
                }
            }
            return file;
        }

        void close() {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException ignored) {
                    // read-only
                }
            }
        }
    }
}

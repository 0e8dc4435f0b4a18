package io.smtpwatchdog.rescue;

/**
 * The system calls a thread blocked in a JDK socket read sits in, by number, for this machine's architecture.
 *
 * <p>A socket with no timeout is blocking inside the JDK: its reader is in {@code read} or {@code recvfrom} on the
 * socket's fd. One with a read or connect timeout is non-blocking: its reader waits in {@code poll} (or
 * {@code ppoll}) with one {@code struct pollfd} whose first four bytes are the fd.
 */
final class Syscall {
    final int read;
    final int recvfrom;
    final int poll;
    final int ppoll;

    private Syscall(int read, int recvfrom, int poll, int ppoll) {
        this.read = read;
        this.recvfrom = recvfrom;
        this.poll = poll;
        this.ppoll = ppoll;
    }

    /** This JVM's numbers, or null on an architecture the agent does not know. */
    static Syscall forThisMachine() {
        String arch = String.valueOf(System.getProperty("os.arch"));
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            return new Syscall(0, 45, 7, 271);
        }
        if (arch.equals("aarch64") || arch.equals("arm64")) {
            return new Syscall(63, 207, -1, 73); // aarch64 has no plain poll
        }
        return null;
    }

    boolean readsFd(int nr) {
        return nr == read || nr == recvfrom;
    }

    boolean polls(int nr) {
        return nr == poll || nr == ppoll;
    }
}

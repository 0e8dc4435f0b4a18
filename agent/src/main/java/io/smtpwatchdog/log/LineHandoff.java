package io.smtpwatchdog.log;

import io.smtpwatchdog.track.AgentThread;

import java.io.PrintStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded hand-off of formatted log lines to one agent thread, the only one that prints them.
 *
 * <p>The host's stderr may block: a full pipe nobody reads, a stalled journald, a host stream whose write parks.
 * Printed on the thread that logged, one such write would stop the reaper on its reap line (and with it all
 * reaping) and park host threads that happened to log. Here the logging thread only makes a lock-free, non-blocking
 * offer; a line that finds {@code capacity} lines still unprinted is dropped and counted in
 * {@link AgentLog#failedWrites()}, so a blocked stderr costs lost lines and bounded memory, never a stuck thread.
 *
 * <p>One queue and one printing thread keep the lines of each thread in the order they were logged. The thread is
 * started by the first offer, and a shutdown hook gives the lines still queued at exit up to {@code drainMillis} to
 * be printed, so a short-lived host loses none and a blocked stderr cannot hang the JVM's exit.
 */
final class LineHandoff {
    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int FAILED = 2;
    private static final long IDLE_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** A line and the stderr that was in place when it was logged: a host that swaps System.err gets both right. */
    private static final class Entry {
        final PrintStream target;
        final String line;

        Entry(PrintStream target, String line) {
            this.target = target;
            this.line = line;
        }
    }

    private final int capacity;
    private final String threadName;
    private final long drainMillis;
    private final ConcurrentLinkedQueue<Entry> lines = new ConcurrentLinkedQueue<Entry>();
    /** Lines accepted and not yet printed (the one being printed included): what the capacity bounds. */
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger state = new AtomicInteger(NEW);
    private volatile Thread writer;
    /** Set while the writer is about to park on an empty queue: only then does an offer need to wake it. */
    private volatile boolean idle;

    /**
     * @param capacity lines accepted and not yet printed, at most; further ones are dropped
     * @param threadName the printing thread's name
     * @param drainMillis how long the JVM's exit waits, at most, for the lines still queued
     */
    LineHandoff(int capacity, String threadName, long drainMillis) {
        this.capacity = capacity;
        this.threadName = threadName;
        this.drainMillis = drainMillis;
    }

    /**
     * Hands a line over to be printed to {@code target}, without waiting; never throws.
     *
     * @return false only when the printing thread could not be started (the caller then prints the line itself,
     *     as before there was a hand-off); true when the line was queued, or dropped and counted because the queue
     *     was full
     */
    boolean offer(PrintStream target, String line) {
        try {
            if (!started()) {
                return false;
            }
            while (true) {
                int n = pending.get();
                if (n >= capacity) {
                    AgentLog.countFailedWrite();
                    return true;
                }
                if (pending.compareAndSet(n, n + 1)) {
                    break;
                }
            }
            lines.offer(new Entry(target, line));
            if (idle) {
                LockSupport.unpark(writer);
            }
            return true;
        } catch (Throwable t) {
            // An OutOfMemoryError for the queue node, say: the line is lost, the host's call goes on.
            AgentLog.countFailedWrite();
            return true;
        }
    }

    /**
     * Waits until every accepted line has been printed, or {@code millis} have passed.
     *
     * @return whether every line was printed
     */
    boolean drain(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (pending.get() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(this, DRAIN_POLL_NANOS);
        }
        return true;
    }

    /** Lines accepted and not yet printed. */
    int pending() {
        return pending.get();
    }

    private boolean started() {
        int s = state.get();
        if (s == RUNNING) {
            return true;
        }
        if (s == NEW && state.compareAndSet(NEW, RUNNING)) {
            start();
            return state.get() == RUNNING;
        }
        return state.get() == RUNNING;
    }

    /** Starts the printing thread and the exit drain; on failure, falls back to printing on the caller's thread. */
    private void start() {
        try {
            Thread t = new AgentThread(threadName, new Runnable() {
                @Override
                public void run() {
                    printLoop();
                }
            });
            try {
                // Started from whichever thread logs first, maybe a web application's: it must not pin that loader.
                t.setContextClassLoader(null);
            } catch (Throwable refused) {
                // A security manager may refuse; the thread prints all the same.
            }
            writer = t;
            t.start();
        } catch (Throwable t) {
            state.set(FAILED);
            loseQueued(); // offers that raced this failure: nobody will print them
            return;
        }
        try {
            Runtime.getRuntime().addShutdownHook(new AgentThread(threadName + "-drain", new Runnable() {
                @Override
                public void run() {
                    drain(drainMillis);
                }
            }));
        } catch (Throwable t) {
            // Already shutting down, or a security manager says no: lines still queued at exit may be lost.
        }
    }

    private void loseQueued() {
        while (lines.poll() != null) {
            pending.decrementAndGet();
            AgentLog.countFailedWrite();
        }
    }

    private void printLoop() {
        StderrWriter.guardCurrentThread();
        while (true) {
            try {
                Entry e = lines.poll();
                if (e == null) {
                    idle = true;
                    if (lines.isEmpty()) {
                        Thread.interrupted(); // a stray interrupt would make every park return at once
                        LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                    }
                    idle = false;
                    continue;
                }
                try {
                    StderrWriter.print(e.target, e.line);
                } finally {
                    pending.decrementAndGet();
                }
            } catch (Throwable t) {
                // Whatever happened, this thread is the log's only way out: it must live on.
                AgentLog.countFailedWrite();
            }
        }
    }
}

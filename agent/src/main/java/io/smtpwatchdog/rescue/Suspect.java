package io.smtpwatchdog.rescue;

import io.smtpwatchdog.track.Found;

import java.lang.ref.WeakReference;

/**
 * A found connection under watch: what proves, at each look, that its reader is still in the very same read. Holds
 * the host's objects weakly: a socket the host drops is the host's to drop.
 */
final class Suspect {
    final Found found;
    final WeakReference<Object> cleanable;
    final WeakReference<Object> impl;
    final WeakReference<Thread> reader;
    final int fd;
    /** The platform thread's system call, or null for a virtual thread (which waits in the JDK's poller). */
    final BlockedReads.Wait wait;
    /** The monitor-mode decision was logged already. */
    boolean reported;

    Suspect(Found found, Object cleanable, Object impl, Thread reader, int fd, BlockedReads.Wait wait) {
        this.found = found;
        this.cleanable = new WeakReference<Object>(cleanable);
        this.impl = new WeakReference<Object>(impl);
        this.reader = new WeakReference<Thread>(reader);
        this.fd = fd;
        this.wait = wait;
    }
}

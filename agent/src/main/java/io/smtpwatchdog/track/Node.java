package io.smtpwatchdog.track;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * An entry of the {@link ConnTable}: a weak reference to a host's endpoint, a {@code java.net.Socket} or a
 * {@code java.nio.channels.SocketChannel}, so the agent never keeps one alive. Collected endpoints show up on the
 * reference queue, which is how abandoned connections are found.
 */
abstract class Node extends WeakReference<Object> {
    /** Next node in the same bucket; written by inserting threads (head only) and by the reaper thread. */
    volatile Node next;
    /** Set by the reaper thread once the node is out of the table. */
    boolean unlinked;
    /** The bucket it lives in, remembered because the socket may be collected before it is unlinked. */
    final int bucket;

    Node(Object endpoint, ReferenceQueue<Object> queue) {
        super(endpoint, queue);
        this.bucket = ConnTable.bucketOf(endpoint);
    }

    /** The connection this node stands for. */
    abstract Conn conn();
}

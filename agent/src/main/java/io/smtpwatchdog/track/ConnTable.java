package io.smtpwatchdog.track;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Finds the connection of a socket or channel by identity, on every read and close, with no lock and no allocation.
 *
 * <p>A fixed array of buckets, each a singly linked list. Any thread may push at a bucket's head (compare-and-set);
 * only the reaper thread unlinks. With a single unlinker, unlinking a node behind the head is a plain write that no
 * inserter races, and readers walking an unlinked node still reach the rest of the chain.
 */
final class ConnTable {
    private static final int BUCKETS = 1 << 14;

    private final AtomicReferenceArray<Node> heads = new AtomicReferenceArray<Node>(BUCKETS);

    private static int bucket(Object s) {
        int h = System.identityHashCode(s);
        return (h ^ (h >>> 14)) & (BUCKETS - 1);
    }

    void add(Node node) {
        int i = node.bucket;
        Node head;
        do {
            head = heads.get(i);
            node.next = head;
        } while (!heads.compareAndSet(i, head, node));
    }

    /** The live connection of {@code endpoint} (a socket or a channel), or null. */
    Conn find(Object socket) {
        for (Node n = heads.get(bucket(socket)); n != null; n = n.next) {
            if (n.get() == socket && !n.unlinked) {
                return n.conn();
            }
        }
        return null;
    }

    /** Takes {@code node} out of its bucket. Reaper thread only. */
    void unlink(Node node) {
        int bucketIndex = node.bucket;
        if (node.unlinked) {
            return;
        }
        node.unlinked = true;
        while (true) {
            Node head = heads.get(bucketIndex);
            if (head == node) {
                if (heads.compareAndSet(bucketIndex, node, node.next)) {
                    return;
                }
                continue; // an insert pushed in front of it; it is now behind the head
            }
            for (Node prev = head; prev != null; prev = prev.next) {
                if (prev.next == node) {
                    prev.next = node.next;
                    return;
                }
            }
            return;
        }
    }

    static int bucketOf(Object socket) {
        return bucket(socket);
    }

    /** Visits every node; a view for operators, not a hot path. */
    void forEach(java.util.function.Consumer<Node> visitor) {
        for (int i = 0; i < BUCKETS; i++) {
            for (Node n = heads.get(i); n != null; n = n.next) {
                if (!n.unlinked) {
                    visitor.accept(n);
                }
            }
        }
    }
}

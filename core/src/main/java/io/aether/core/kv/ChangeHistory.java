package io.aether.core.kv;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The last revisions' events, for watches that start in the past. Bounded by a revision count and an approximate
 * byte size (the newest revision is always kept); evicting a revision compacts it.
 */
final class ChangeHistory {

    /** Approximate fixed memory cost of one event beyond its keys and values. */
    private static final int EVENT_OVERHEAD_BYTES = 96;

    record Change(long revision, List<WatchEvent> events, long bytes) {
    }

    private final int maxRevisions;
    private final long maxBytes;
    private final ArrayDeque<Change> changes = new ArrayDeque<>();
    private long bytes;
    private long firstAvailableRevision;

    /** A history that holds nothing at or below {@code startRevision}. */
    ChangeHistory(int maxRevisions, long maxBytes, long startRevision) {
        this.maxRevisions = maxRevisions;
        this.maxBytes = maxBytes;
        this.firstAvailableRevision = startRevision + 1;
    }

    /** Every change at or after this revision is still here. */
    long firstAvailableRevision() {
        return firstAvailableRevision;
    }

    void append(long revision, List<WatchEvent> events) {
        Change last = changes.peekLast();
        if (last != null && revision <= last.revision()) {
            throw new IllegalStateException("history append of revision " + revision + " after " + last.revision());
        }
        long size = 0;
        for (WatchEvent event : events) {
            size += EVENT_OVERHEAD_BYTES + 2L * event.kv().key().length() + event.kv().sharedValue().length
                    + event.prevKv().map(kv -> kv.sharedValue().length).orElse(0);
        }
        changes.addLast(new Change(revision, events, size));
        bytes += size;
        while (changes.size() > maxRevisions || (bytes > maxBytes && changes.size() > 1)) {
            Change evicted = changes.removeFirst();
            bytes -= evicted.bytes();
            firstAvailableRevision = evicted.revision() + 1;
        }
    }

    /** The retained changes, oldest first. */
    Iterable<Change> changes() {
        return changes;
    }
}

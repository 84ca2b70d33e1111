package io.aether.core.kv;

/**
 * A watch asked for changes older than the retained history (etcd's ErrCompacted). Recover by reading the current
 * state with a range, then watching from the range's revision + 1.
 */
public final class CompactedException extends RuntimeException {

    private final long requestedRevision;
    private final long oldestAvailableRevision;

    public CompactedException(long requestedRevision, long oldestAvailableRevision) {
        super("revision " + requestedRevision + " was compacted; the oldest available is " + oldestAvailableRevision
                + "; re-read with range and watch from the range's revision + 1");
        this.requestedRevision = requestedRevision;
        this.oldestAvailableRevision = oldestAvailableRevision;
    }

    public long requestedRevision() {
        return requestedRevision;
    }

    public long oldestAvailableRevision() {
        return oldestAvailableRevision;
    }
}

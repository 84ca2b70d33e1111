package io.aether.core.consensus;

/** Identity of a batch: the replica that sealed it and a sequence number unique over that replica's life. */
public record BatchId(int origin, long seq) {
    public BatchId {
        if (origin < 0) {
            throw new IllegalArgumentException("batch origin must be >= 0, got " + origin);
        }
    }
}

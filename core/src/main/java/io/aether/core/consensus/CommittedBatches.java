package io.aether.core.consensus;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Which batches were committed, per origin: a watermark (every seq up to it is committed or given up) plus
 * the committed seqs above it. Batches of one origin commit roughly in seq order, so the sparse part stays
 * small; at {@link #MAX_SPARSE} the watermark jumps to the oldest sparse seq, giving up on older seqs that
 * never committed (their commands then have an unknown outcome for their clients).
 */
final class CommittedBatches {
    static final int MAX_SPARSE = 4096;

    private final long[] watermark;
    private final List<TreeSet<Long>> sparseByOrigin = new ArrayList<>();

    CommittedBatches(int n) {
        watermark = new long[n];
        for (int i = 0; i < n; i++) {
            sparseByOrigin.add(new TreeSet<>());
        }
    }

    boolean contains(BatchId id) {
        int o = id.origin();
        if (o >= watermark.length) {
            return false;
        }
        return id.seq() <= watermark[o] || sparseByOrigin.get(o).contains(id.seq());
    }

    void add(BatchId id) {
        int o = id.origin();
        if (o >= watermark.length || id.seq() <= watermark[o]) {
            return;
        }
        TreeSet<Long> s = sparseByOrigin.get(o);
        s.add(id.seq());
        if (s.size() > MAX_SPARSE) {
            watermark[o] = s.pollFirst();
        }
        while (!s.isEmpty() && s.first() == watermark[o] + 1) {
            watermark[o] = s.pollFirst();
        }
    }

    /** This knowledge as a message payload. */
    List<OriginCommitted> summary() {
        List<OriginCommitted> out = new ArrayList<>(watermark.length);
        for (int o = 0; o < watermark.length; o++) {
            out.add(new OriginCommitted(o, watermark[o], new ArrayList<>(sparseByOrigin.get(o))));
        }
        return out;
    }

    /** Adds a peer's knowledge (commits are facts, so the union is exact). */
    void merge(List<OriginCommitted> summary) {
        for (OriginCommitted oc : summary) {
            int o = oc.origin();
            if (o >= watermark.length) {
                continue;
            }
            if (oc.watermark() > watermark[o]) {
                watermark[o] = oc.watermark();
                sparseByOrigin.get(o).headSet(watermark[o], true).clear();
            }
            for (long seq : oc.seqsAbove()) {
                add(new BatchId(o, seq));
            }
            while (!sparseByOrigin.get(o).isEmpty() && sparseByOrigin.get(o).first() == watermark[o] + 1) {
                watermark[o] = sparseByOrigin.get(o).pollFirst();
            }
        }
    }
}

package io.aether.core.consensus;

import java.util.List;

/**
 * What a replica knows was committed from one origin: every seq up to {@code watermark}, plus {@code seqsAbove}.
 * Exchanged in {@link Message.CommittedSummary} so a replica that installed a snapshot learns which batches the
 * snapshot committed.
 */
public record OriginCommitted(int origin, long watermark, List<Long> seqsAbove) {
    public OriginCommitted {
        if (origin < 0) {
            throw new IllegalArgumentException("origin must be >= 0, got " + origin);
        }
        seqsAbove = List.copyOf(seqsAbove);
    }
}

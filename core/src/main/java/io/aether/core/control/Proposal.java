package io.aether.core.control;

import java.time.Instant;
import java.util.Optional;

/**
 * A decision waiting for a human, stored at {@code controller/proposals/{id}}. Its changes carry the counts the
 * guardrails allowed when it was proposed; approval checks them again.
 *
 * @param decidedBy who approved or rejected it (empty while pending or when it expired)
 * @param note      the rejection reason, or why it expired
 */
public record Proposal(String id, Instant created, Instant expires, Layer layer, Decision decision, String reasoning,
                       Status status, Optional<String> decidedBy, Optional<String> note) {

    /** Where a proposal is in its life. Only {@code PENDING} moves, and only once. */
    public enum Status { PENDING, APPROVED, REJECTED, EXPIRED }
}

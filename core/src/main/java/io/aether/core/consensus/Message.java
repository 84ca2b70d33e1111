package io.aether.core.consensus;

import java.util.List;
import java.util.Objects;

/**
 * Replica-to-replica messages. Slot (log position) and round (binary-consensus round inside a slot)
 * are distinct fields. A state or vote of value 1 carries the id of the batch it stands for, a 0 carries
 * {@code null}, and a "?" vote carries the batch the round's 1-states stood for (it saw at least one).
 */
public sealed interface Message {
    /** Vote value "?": no value had a majority among the states this replica collected. */
    int QUESTION = 2;

    /** A sealed batch relayed by the replica that sealed it. */
    record Forward(Batch batch) implements Message {
        @Override
        public Kind kind() {
            return Kind.FORWARD;
        }

        public Forward {
            Objects.requireNonNull(batch, "batch");
        }
    }

    /** Phase 1: the batch this replica proposes for {@code slot}, or {@code null} for "empty". */
    record Proposal(long slot, BatchId batchIdOrNullForEmpty) implements Message {
        @Override
        public Kind kind() {
            return Kind.PROPOSAL;
        }

        public Proposal {
            Checks.slot(slot);
        }
    }

    /** Phase 2: this replica's state (0 or 1) in {@code round} of {@code slot}. */
    record State(long slot, int round, int value, BatchId batchIdOrNull) implements Message {
        @Override
        public Kind kind() {
            return Kind.STATE;
        }

        public State {
            Checks.slot(slot);
            Checks.round(round);
            Checks.binary(value, batchIdOrNull);
        }
    }

    /** Phase 2: this replica's vote (0, 1 or {@link #QUESTION}) in {@code round} of {@code slot}. */
    record Vote(long slot, int round, int value, BatchId batchIdOrNull) implements Message {
        @Override
        public Kind kind() {
            return Kind.VOTE;
        }

        public Vote {
            Checks.slot(slot);
            Checks.round(round);
            Checks.vote(value, batchIdOrNull);
        }
    }

    /** The outcome of {@code slot}: the committed batch, or {@code null} for a no-op. */
    record Decided(long slot, Batch batchOrNullForNoop) implements Message {
        @Override
        public Kind kind() {
            return Kind.DECIDED;
        }

        public Decided {
            Checks.slot(slot);
        }
    }

    /** Asks a peer for its decided slots starting at {@code fromSlot}. */
    record FetchRequest(long fromSlot) implements Message {
        @Override
        public Kind kind() {
            return Kind.FETCH_REQUEST;
        }

        public FetchRequest {
            Checks.slot(fromSlot);
        }
    }

    /** Decided slots in increasing, contiguous order. */
    record FetchResponse(List<DecidedSlot> slots) implements Message {
        @Override
        public Kind kind() {
            return Kind.FETCH_RESPONSE;
        }

        public FetchResponse {
            slots = List.copyOf(slots);
        }
    }

    /** The slots asked for were truncated into a snapshot; the requester must install a snapshot. */
    record SnapshotRequired(long firstRetainedSlot) implements Message {
        @Override
        public Kind kind() {
            return Kind.SNAPSHOT_REQUIRED;
        }
    }

    /** Asks for the content of a batch known only by id. */
    record BatchRequest(BatchId id) implements Message {
        @Override
        public Kind kind() {
            return Kind.BATCH_REQUEST;
        }

        public BatchRequest {
            Objects.requireNonNull(id, "id");
        }
    }

    /** The content of a requested batch. */
    record BatchResponse(Batch batch) implements Message {
        @Override
        public Kind kind() {
            return Kind.BATCH_RESPONSE;
        }

        public BatchResponse {
            Objects.requireNonNull(batch, "batch");
        }
    }

    /**
     * Answer to a proposal naming a batch the sender knows is committed: the proposer missed that (for
     * example it installed a snapshot) and must drop the batch, or it would propose it forever.
     */
    record BatchCommitted(BatchId id) implements Message {
        @Override
        public Kind kind() {
            return Kind.BATCH_COMMITTED;
        }

        public BatchCommitted {
            Objects.requireNonNull(id, "id");
        }
    }

    /** Asks for a {@link CommittedSummary} from a replica that has applied at least {@code throughSlot}. */
    record CommittedRequest(long throughSlot) implements Message {
        @Override
        public Kind kind() {
            return Kind.COMMITTED_REQUEST;
        }
    }

    /** Which batches the sender knows are committed, as of its applied slot {@code appliedThroughSlot}. */
    record CommittedSummary(long appliedThroughSlot, List<OriginCommitted> origins) implements Message {
        @Override
        public Kind kind() {
            return Kind.COMMITTED_SUMMARY;
        }

        public CommittedSummary {
            origins = List.copyOf(origins);
        }
    }

    /** The closed set of message kinds, for exhaustive {@code switch} (Java 17 has no pattern switch). */
    enum Kind { FORWARD, PROPOSAL, STATE, VOTE, DECIDED, FETCH_REQUEST, FETCH_RESPONSE, SNAPSHOT_REQUIRED,
        BATCH_REQUEST, BATCH_RESPONSE, BATCH_COMMITTED, COMMITTED_REQUEST, COMMITTED_SUMMARY }

    Kind kind();
}

package io.aether.core.consensus;

import java.util.List;
import java.util.Objects;

/**
 * What must be durable before the messages of the same {@link Output} are sent. Replaying these
 * through {@link RabiaEngine#recover} rebuilds a replica that re-sends exactly what it sent before.
 */
public sealed interface LogEntry {
    /** The closed set of entry kinds, for exhaustive {@code switch}. */
    enum Kind { PROPOSAL_SENT, STATE_SENT, VOTE_SENT, DECIDED, BATCH_SEALED, COMMITTED_KNOWN }

    Kind kind();

    /** This replica proposed {@code batchOrNullForEmpty} (with its content) for {@code slot}. */
    record ProposalSent(long slot, Batch batchOrNullForEmpty) implements LogEntry {
        @Override
        public Kind kind() {
            return Kind.PROPOSAL_SENT;
        }

        public ProposalSent {
            Checks.slot(slot);
        }
    }

    /** This replica sent state {@code value} in {@code round} of {@code slot}. */
    record StateSent(long slot, int round, int value, BatchId batchIdOrNull) implements LogEntry {
        @Override
        public Kind kind() {
            return Kind.STATE_SENT;
        }

        public StateSent {
            Checks.slot(slot);
            Checks.round(round);
            Checks.binary(value, batchIdOrNull);
        }
    }

    /** This replica sent vote {@code value} in {@code round} of {@code slot}. */
    record VoteSent(long slot, int round, int value, BatchId batchIdOrNull) implements LogEntry {
        @Override
        public Kind kind() {
            return Kind.VOTE_SENT;
        }

        public VoteSent {
            Checks.slot(slot);
            Checks.round(round);
            Checks.vote(value, batchIdOrNull);
        }
    }

    /** {@code slot} is decided and applied in this order: the batch, or {@code null} for a no-op. */
    record DecidedEntry(long slot, Batch batchOrNullForNoop) implements LogEntry {
        @Override
        public Kind kind() {
            return Kind.DECIDED;
        }

        public DecidedEntry {
            Checks.slot(slot);
        }
    }

    /**
     * This replica sealed the batch {@code id}; persisted before it is forwarded so the id is never reused. Only
     * the id: recovery needs the seq counter, and the content is persisted with the proposal that carries it.
     */
    record BatchSealed(BatchId id) implements LogEntry {
        @Override
        public Kind kind() {
            return Kind.BATCH_SEALED;
        }

        public BatchSealed {
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * Which batches were committed in slots up to {@code throughSlot} (later ones follow from the
     * {@code DecidedEntry}s after it). Written after a snapshot install and every {@code retainDecidedSlots}
     * slots, so recovery from a truncated WAL still knows which batches must never be queued again.
     */
    record CommittedKnown(long throughSlot, List<OriginCommitted> origins) implements LogEntry {
        @Override
        public Kind kind() {
            return Kind.COMMITTED_KNOWN;
        }

        public CommittedKnown {
            origins = List.copyOf(origins);
        }
    }
}

package io.aether.core.consensus;

import java.util.List;
import java.util.Objects;

/**
 * An immutable batch of commands sealed by the replica that received them; the unit of ordering.
 * Pending queues order batches by {@code (timestampMicros, origin, seq)}.
 */
public record Batch(BatchId id, long timestampMicros, List<Command> commands) {
    public Batch {
        Objects.requireNonNull(id, "id");
        commands = List.copyOf(commands);
    }

    /** Sum of payload sizes, the measure bounded by {@code maxBatchBytes}. */
    public long payloadBytes() {
        long bytes = 0;
        for (Command c : commands) {
            bytes += c.payload().length;
        }
        return bytes;
    }
}

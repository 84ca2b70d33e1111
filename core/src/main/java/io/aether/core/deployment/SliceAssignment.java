package io.aether.core.deployment;

import io.aether.core.slice.SliceState;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The value of {@code slices/{node}/{artifact}} (docs/runtime.md): the leader's command or the node's progress,
 * the instance count on that node, the config they run with, the owning blueprint, the failure reason, when it was
 * written, and {@code attempt}: how many times the leader re-sent LOAD after a FAILED (its retry backoff grows with
 * it and survives a change of leader).
 */
public record SliceAssignment(SliceState state, int instances, Map<String, String> config, String blueprint,
                              Optional<String> reason, Instant updatedAt, int attempt) {

    public SliceAssignment {
        Objects.requireNonNull(state, "state");
        config = Map.copyOf(config);
        Objects.requireNonNull(blueprint, "blueprint");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (instances < 0) {
            throw new IllegalArgumentException("instances must be >= 0, was " + instances);
        }
    }

    /** The same assignment in {@code newState}, written at {@code at}, without a reason. */
    public SliceAssignment with(SliceState newState, Instant at) {
        return new SliceAssignment(newState, instances, config, blueprint, Optional.empty(), at, attempt);
    }

    public SliceAssignment failed(String why, Instant at) {
        return new SliceAssignment(SliceState.FAILED, instances, config, blueprint, Optional.of(why), at, attempt);
    }
}

package io.aether.core.consensus;

import java.util.List;
import java.util.Optional;

/**
 * The effects of one {@link RabiaEngine#step(Input)}. The adapter MUST, in this order:
 * <ol>
 *   <li>append {@code persist} to its WAL and fsync;</li>
 *   <li>only then send {@code send};</li>
 *   <li>then apply {@code decided} in order (contiguous, strictly increasing slots, each exactly once over
 *       the engine's life including recovery) and acknowledge the clients whose commands were in them;</li>
 *   <li>answer {@code rejected} commands' clients.</li>
 * </ol>
 * Outputs may be group-committed with one fsync, provided no message of a later output is sent before
 * the fsync covering it. {@code snapshotNeededFrom} names a peer whose snapshot must be installed
 * (then feed {@link Input.SnapshotInstalled}).
 */
public record Output(List<LogEntry> persist, List<Outbound> send, List<DecidedSlot> decided,
                     List<Rejected> rejected, Optional<Integer> snapshotNeededFrom) {
    static final Output EMPTY = new Output(List.of(), List.of(), List.of(), List.of(), Optional.empty());

    public Output {
        persist = List.copyOf(persist);
        send = List.copyOf(send);
        decided = List.copyOf(decided);
        rejected = List.copyOf(rejected);
        snapshotNeededFrom = snapshotNeededFrom == null ? Optional.empty() : snapshotNeededFrom;
    }

    public boolean isEmpty() {
        return persist.isEmpty() && send.isEmpty() && decided.isEmpty() && rejected.isEmpty()
                && snapshotNeededFrom.isEmpty();
    }
}

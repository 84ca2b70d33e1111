package io.aether.core.kv;

import java.util.List;

/**
 * Receives a watch's changes, one call per revision that touched the watched prefix, in revision order, each
 * exactly once. Called synchronously on the thread that applies commands (or that registers the watch, for the
 * history): be fast, hand the events to another thread, and do not call {@code apply}, {@code watch} or
 * {@code snapshot} from here (they throw {@link IllegalStateException}).
 */
@FunctionalInterface
public interface WatchListener {

    /** The events of one revision under the watched prefix, in the order the command made them. */
    void onRevision(long revision, List<WatchEvent> events);

    /** The state machine cancelled the watch because {@link #onRevision} threw {@code cause}. */
    default void onCancelled(RuntimeException cause) {
    }
}

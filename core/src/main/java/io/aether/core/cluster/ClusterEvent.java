package io.aether.core.cluster;

import io.aether.core.slice.SliceState;
import java.util.Optional;

/**
 * Something that happened in the cluster, as published on the {@link ClusterEventBus} (which adds a sequence
 * number and a timestamp, see {@link SequencedEvent}). Events report; the KV stays the source of truth.
 */
public sealed interface ClusterEvent {

    /** The event's name in the API and the SSE stream, e.g. {@code NodeJoined}. */
    default String type() {
        return getClass().getSimpleName();
    }

    /** A node's key appeared, or changed again after the node had failed. */
    record NodeJoined(String nodeId, NodeRole role) implements ClusterEvent {
    }

    /** A live node deleted its key: it left cleanly. */
    record NodeLeft(String nodeId) implements ClusterEvent {
    }

    /** No change of a node's key was seen within the lease. */
    record NodeFailed(String nodeId, long silentMs) implements ClusterEvent {
    }

    /** A live node started or stopped draining. */
    record NodeDraining(String nodeId, boolean drain) implements ClusterEvent {
    }

    /** The leader this node computes changed; empty when no core node is live. */
    record LeaderChanged(Optional<String> previous, Optional<String> leader) implements ClusterEvent {
    }

    /** This node wrote {@code state} for {@code artifact}'s {@code slices/} key; {@code reason} for FAILED. */
    record SliceStateChanged(String nodeId, String artifact, SliceState state, int instances,
                             Optional<String> reason) implements ClusterEvent {
    }

    /** A blueprint ({@code tenant/name}) was written or deleted. */
    record BlueprintChanged(String blueprint, boolean deleted) implements ClusterEvent {
    }

    /** A KV revision was committed that touched {@code keys} keys. */
    record KvCommitted(long revision, int keys) implements ClusterEvent {
    }

    /** The bus dropped {@code dropped} events for this subscriber because it fell behind its queue bound. */
    record Overflow(long dropped) implements ClusterEvent {
    }
}

package io.aether.core.cluster;

import java.time.Instant;

/** An event as the bus delivered it: its place in this node's sequence (from 1) and when it was published. */
public record SequencedEvent(long seq, Instant at, ClusterEvent event) {
}

package io.aether.core.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * The value of {@code nodes/{node-id}} (docs/runtime.md): role, the HTTP and call-transport addresses
 * ({@code host:port}), when the node started, its heartbeat counter and whether it drains (takes no new instances).
 */
public record NodeRecord(String nodeId, NodeRole role, String http, String call, Instant startedAt, long beat,
                         boolean drain) {

    public NodeRecord {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(startedAt, "startedAt");
        if (nodeId.isEmpty() || nodeId.indexOf('/') >= 0) {
            throw new IllegalArgumentException("node id '" + nodeId + "' must be non-empty and contain no '/'");
        }
    }

    public NodeRecord withBeat(long newBeat) {
        return new NodeRecord(nodeId, role, http, call, startedAt, newBeat, drain);
    }

    public NodeRecord withDrain(boolean newDrain) {
        return new NodeRecord(nodeId, role, http, call, startedAt, beat, newDrain);
    }
}

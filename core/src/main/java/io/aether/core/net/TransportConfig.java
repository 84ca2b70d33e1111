package io.aether.core.net;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Configuration of a node's {@link Transport}.
 *
 * @param nodeId this node's stable id (sent in HELLO; at most 255 UTF-8 bytes)
 * @param clusterId carried in every frame; frames of another cluster close the connection
 * @param listenHost interface to bind
 * @param listenPort port to bind, 0 for an ephemeral port (see {@link Transport#localPort()})
 * @param peers every Rabia replica by id; may include this node's own id, which is ignored, so all nodes can
 *     share one list
 * @param secret shared cluster secret every HELLO must carry; empty disables the check
 * @param maxFrameBytes bound on the length field of one frame (bytes after the length prefix)
 * @param maxQueuedBytesPerPeer bound on encoded bytes waiting in one link's send queue
 * @param reconnectInitialBackoff first delay before redialing a lost peer
 * @param reconnectMaxBackoff cap of the exponential redial delay
 * @param handshakeTimeout an inbound or outbound connection must complete HELLO within this time
 * @param heartbeatInterval a PING is sent this often on every link; a link that has received nothing for three
 *     intervals is closed as dead
 * @param maxClientConnections bound on concurrently open CLIENT connections; further HELLOs are refused
 */
public record TransportConfig(
        String nodeId,
        int clusterId,
        String listenHost,
        int listenPort,
        Map<String, HostAndPort> peers,
        String secret,
        int maxFrameBytes,
        int maxQueuedBytesPerPeer,
        Duration reconnectInitialBackoff,
        Duration reconnectMaxBackoff,
        Duration handshakeTimeout,
        Duration heartbeatInterval,
        int maxClientConnections) {

    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
    public static final int DEFAULT_MAX_QUEUED_BYTES = 32 * 1024 * 1024;

    public TransportConfig {
        Hello.requireNodeId(nodeId, "nodeId");
        if (listenHost == null || listenHost.isBlank()) {
            throw new IllegalArgumentException("listenHost of node " + nodeId + " must not be blank");
        }
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("listenPort " + listenPort + " of node " + nodeId
                    + " is outside 0..65535");
        }
        if (peers == null) {
            throw new IllegalArgumentException("peers of node " + nodeId + " must not be null (use an empty map)");
        }
        peers.keySet().forEach(id -> Hello.requireNodeId(id, "peer id"));
        peers = Map.copyOf(peers);
        Hello.requireSecret(secret);
        Checks.frameBounds(maxFrameBytes, maxQueuedBytesPerPeer, "maxQueuedBytesPerPeer");
        Checks.backoff(reconnectInitialBackoff, reconnectMaxBackoff);
        Checks.positive(handshakeTimeout, "handshakeTimeout");
        Checks.positive(heartbeatInterval, "heartbeatInterval");
        if (maxClientConnections < 0) {
            throw new IllegalArgumentException("maxClientConnections " + maxClientConnections + " is negative");
        }
    }

    /** A config with the documented defaults: no secret, 16 MiB frames, 32 MiB per-peer queue, 50 ms..5 s backoff. */
    public static TransportConfig defaults(String nodeId, int clusterId, String listenHost, int listenPort,
            Map<String, HostAndPort> peers) {
        return new TransportConfig(nodeId, clusterId, listenHost, listenPort, peers, "", DEFAULT_MAX_FRAME_BYTES,
                DEFAULT_MAX_QUEUED_BYTES, Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(1), 1024);
    }

    public TransportConfig withSecret(String newSecret) {
        return new TransportConfig(nodeId, clusterId, listenHost, listenPort, peers, newSecret, maxFrameBytes,
                maxQueuedBytesPerPeer, reconnectInitialBackoff, reconnectMaxBackoff, handshakeTimeout,
                heartbeatInterval, maxClientConnections);
    }

    public TransportConfig withFrameBounds(int newMaxFrameBytes, int newMaxQueuedBytesPerPeer) {
        return new TransportConfig(nodeId, clusterId, listenHost, listenPort, peers, secret, newMaxFrameBytes,
                newMaxQueuedBytesPerPeer, reconnectInitialBackoff, reconnectMaxBackoff, handshakeTimeout,
                heartbeatInterval, maxClientConnections);
    }

    public TransportConfig withHeartbeatInterval(Duration newHeartbeatInterval) {
        return new TransportConfig(nodeId, clusterId, listenHost, listenPort, peers, secret, maxFrameBytes,
                maxQueuedBytesPerPeer, reconnectInitialBackoff, reconnectMaxBackoff, handshakeTimeout,
                newHeartbeatInterval, maxClientConnections);
    }

    /** The peers this node dials: those whose id sorts after its own (see docs/transport.md, "one link per pair"). */
    Map<String, HostAndPort> dialedPeers() {
        Map<String, HostAndPort> dialed = new TreeMap<>();
        peers.forEach((id, address) -> {
            if (id.compareTo(nodeId) > 0) {
                dialed.put(id, address);
            }
        });
        return dialed;
    }

    /** True if {@code id} is a configured peer other than this node. */
    boolean isPeer(String id) {
        return !id.equals(nodeId) && peers.containsKey(id);
    }
}

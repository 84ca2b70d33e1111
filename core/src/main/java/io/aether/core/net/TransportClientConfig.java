package io.aether.core.net;

import java.time.Duration;
import java.util.List;

/**
 * Configuration of a {@link TransportClient}.
 *
 * @param clientId identifies this client in HELLO and in the server's logs (at most 255 UTF-8 bytes)
 * @param clusterId carried in every frame
 * @param servers addresses tried in order, wrapping around, until one accepts the HELLO
 * @param secret shared cluster secret, empty if the cluster has none
 * @param maxFrameBytes bound on the length field of one frame
 * @param maxQueuedBytes bound on encoded bytes waiting in the send queue
 * @param reconnectInitialBackoff delay after the first failed attempt
 * @param reconnectMaxBackoff cap of the exponential delay between attempts
 * @param handshakeTimeout connect plus HELLO/HELLO_OK must finish within this time
 * @param heartbeatInterval PING period; a connection silent for three intervals is closed and failed over
 */
public record TransportClientConfig(
        String clientId,
        int clusterId,
        List<HostAndPort> servers,
        String secret,
        int maxFrameBytes,
        int maxQueuedBytes,
        Duration reconnectInitialBackoff,
        Duration reconnectMaxBackoff,
        Duration handshakeTimeout,
        Duration heartbeatInterval) {

    public TransportClientConfig {
        Hello.requireNodeId(clientId, "clientId");
        if (servers == null || servers.isEmpty()) {
            throw new IllegalArgumentException("client " + clientId + " needs at least one server address");
        }
        servers = List.copyOf(servers);
        Hello.requireSecret(secret);
        Checks.frameBounds(maxFrameBytes, maxQueuedBytes, "maxQueuedBytes");
        Checks.backoff(reconnectInitialBackoff, reconnectMaxBackoff);
        Checks.positive(handshakeTimeout, "handshakeTimeout");
        Checks.positive(heartbeatInterval, "heartbeatInterval");
    }

    /** Defaults matching {@link TransportConfig#defaults}: no secret, 16 MiB frames, 50 ms..5 s backoff. */
    public static TransportClientConfig defaults(String clientId, int clusterId, List<HostAndPort> servers) {
        return new TransportClientConfig(clientId, clusterId, servers, "", TransportConfig.DEFAULT_MAX_FRAME_BYTES,
                TransportConfig.DEFAULT_MAX_QUEUED_BYTES, Duration.ofMillis(50), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(1));
    }

    public TransportClientConfig withSecret(String newSecret) {
        return new TransportClientConfig(clientId, clusterId, servers, newSecret, maxFrameBytes, maxQueuedBytes,
                reconnectInitialBackoff, reconnectMaxBackoff, handshakeTimeout, heartbeatInterval);
    }
}

package io.aether.core.invoke;

import java.time.Duration;

/**
 * Configuration of a node's call transport ({@link CallServer}) and its {@link Invoker}.
 *
 * @param nodeId this node's id: the call server's name and the client id in every HELLO it sends
 * @param clusterId carried in every frame; must match the other nodes'
 * @param secret shared cluster secret every HELLO carries; empty disables the check
 * @param listenHost interface the call server binds
 * @param listenPort call port ({@code aether.cluster.call-port}, default 7200; 0 picks an ephemeral port)
 * @param maxInFlightPerNode bound on calls this node has in flight to one remote node, counting those waiting for
 *     the connection; beyond it a call to that node is refused with 503 before it is sent
 * @param maxInFlight bound on calls the invoker has in flight in total (local and remote); beyond it calls fail 503
 * @param maxServing bound on calls the call server runs at once for remote callers; beyond it it answers 503
 * @param connectWait how long a call waits for a fresh connection to a node before trying another instance
 * @param servingGrace how long after a caller's deadline the call server still holds a slot for an instance that
 *     has not answered; then it answers 504 and frees the slot
 */
public record CallConfig(
        String nodeId,
        int clusterId,
        String secret,
        String listenHost,
        int listenPort,
        int maxInFlightPerNode,
        int maxInFlight,
        int maxServing,
        Duration connectWait,
        Duration servingGrace) {

    public static final int DEFAULT_CALL_PORT = 7200;

    public CallConfig {
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("call config: nodeId must not be blank");
        }
        if (secret == null) {
            throw new IllegalArgumentException("call config of node " + nodeId + ": secret must not be null (use \"\")");
        }
        if (listenHost == null || listenHost.isBlank()) {
            throw new IllegalArgumentException("call config of node " + nodeId + ": listenHost must not be blank");
        }
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("call config of node " + nodeId + ": listenPort " + listenPort
                    + " is outside 0..65535");
        }
        positive(nodeId, "maxInFlightPerNode", maxInFlightPerNode);
        positive(nodeId, "maxInFlight", maxInFlight);
        positive(nodeId, "maxServing", maxServing);
        if (connectWait == null || connectWait.isNegative() || connectWait.isZero()) {
            throw new IllegalArgumentException("call config of node " + nodeId + ": connectWait " + connectWait
                    + " must be positive");
        }
        if (servingGrace == null || servingGrace.isNegative()) {
            throw new IllegalArgumentException("call config of node " + nodeId + ": servingGrace " + servingGrace
                    + " must not be negative");
        }
    }

    /** Defaults: 1,024 calls in flight per node, 10,000 in total, 4,096 served at once, 1 s connect wait and grace. */
    public static CallConfig defaults(String nodeId, int clusterId, String listenHost, int listenPort) {
        return new CallConfig(nodeId, clusterId, "", listenHost, listenPort, 1_024, 10_000, 4_096,
                Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    public CallConfig withSecret(String newSecret) {
        return new CallConfig(nodeId, clusterId, newSecret, listenHost, listenPort, maxInFlightPerNode, maxInFlight,
                maxServing, connectWait, servingGrace);
    }

    public CallConfig withBounds(int newMaxInFlightPerNode, int newMaxInFlight, int newMaxServing) {
        return new CallConfig(nodeId, clusterId, secret, listenHost, listenPort, newMaxInFlightPerNode,
                newMaxInFlight, newMaxServing, connectWait, servingGrace);
    }

    public CallConfig withConnectWait(Duration newConnectWait) {
        return new CallConfig(nodeId, clusterId, secret, listenHost, listenPort, maxInFlightPerNode, maxInFlight,
                maxServing, newConnectWait, servingGrace);
    }

    private static void positive(String nodeId, String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("call config of node " + nodeId + ": " + what + " " + value
                    + " must be at least 1");
        }
    }
}

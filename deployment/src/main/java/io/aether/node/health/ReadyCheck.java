package io.aether.node.health;

import io.aether.core.replica.ReplicaStatus;
import io.aether.node.AetherNode;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the node has started and, on a core node, a quorum is reachable and the replica is caught up. */
@Readiness
public class ReadyCheck implements HealthCheck {

    private final AetherNode node;

    ReadyCheck(AetherNode node) {
        this.node = node;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("aether-node-ready");
        if (!node.started()) {
            return response.down().withData("reason", "starting").build();
        }
        response.withData("runtimeStarted", node.runtimeStarted());
        Optional<ReplicaStatus> replica = node.replicaStatus();
        if (replica.isEmpty()) {
            return response.status(node.runtimeStarted()).build();
        }
        ReplicaStatus s = replica.get();
        return response.status(s.ready() && node.runtimeStarted())
                .withData("connectedPeers", s.connectedPeers())
                .withData("voters", s.voters())
                .withData("quorumReachable", s.quorumReachable())
                .withData("appliedSlot", s.appliedSlot())
                .withData("highestSeenSlot", s.highestSeenSlot())
                .withData("revision", s.revision())
                .withData("failure", s.failure())
                .build();
    }
}

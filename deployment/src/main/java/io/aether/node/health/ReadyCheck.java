package io.aether.node.health;

import io.aether.node.AetherNode;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready to take traffic: the node has started. */
@Readiness
public class ReadyCheck implements HealthCheck {

    private final AetherNode node;

    ReadyCheck(AetherNode node) {
        this.node = node;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("aether-node-ready").status(node.started()).build();
    }
}

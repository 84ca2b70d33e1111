package io.aether.node.health;

import io.aether.node.AetherNode;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/** Started once the configuration is validated and the data directory is ready. */
@Startup
public class StartedCheck implements HealthCheck {

    private final AetherNode node;

    StartedCheck(AetherNode node) {
        this.node = node;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("aether-node-started").status(node.started()).build();
    }
}

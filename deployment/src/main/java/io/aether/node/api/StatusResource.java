package io.aether.node.api;

import io.aether.node.AetherNode;
import io.aether.node.config.NodeSettings;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code GET /api/v1/status}: who this node is and how long it has been up. */
@Path("/api/v1/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    private final AetherNode node;

    StatusResource(AetherNode node) {
        this.node = node;
    }

    /** This node's identity, role, version and uptime. */
    public record NodeStatus(String nodeId, String role, String version, String startedAt, long uptimeMs) {
    }

    @GET
    @Operation(summary = "This node's id, role, version and uptime")
    public NodeStatus status() {
        NodeSettings settings = node.settings();
        return new NodeStatus(settings.nodeId(), settings.role().name().toLowerCase(), node.version(),
                node.startedAt().toString(), node.uptime().toMillis());
    }
}

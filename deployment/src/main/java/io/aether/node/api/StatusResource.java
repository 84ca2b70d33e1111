package io.aether.node.api;

import io.aether.node.AetherNode;
import io.aether.node.NodeRuntime;
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

    /**
     * This node's identity, role, version and uptime; once the cluster runtime runs, the leader, how many nodes are
     * live and how many slice instances run here.
     */
    public record NodeStatus(String nodeId, String role, String version, String startedAt, long uptimeMs,
                             boolean runtimeStarted, String leader, Integer liveNodes, Integer localInstances) {
    }

    @GET
    @Operation(summary = "This node's id, role, version, uptime, the leader and the live nodes")
    public NodeStatus status() {
        NodeSettings settings = node.settings();
        if (!node.runtimeStarted()) {
            return new NodeStatus(settings.nodeId(), settings.role().name().toLowerCase(), node.version(),
                    node.startedAt().toString(), node.uptime().toMillis(), false, null, null, null);
        }
        NodeRuntime rt = node.runtime();
        return new NodeStatus(settings.nodeId(), settings.role().name().toLowerCase(), node.version(),
                node.startedAt().toString(), node.uptime().toMillis(), true, rt.leader().leader().orElse(null),
                rt.registry().liveNodes().size(), rt.localInstances());
    }
}

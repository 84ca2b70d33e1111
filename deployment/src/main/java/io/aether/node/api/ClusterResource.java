package io.aether.node.api;

import io.aether.core.cluster.NodeRecord;
import io.aether.core.deployment.SliceAssignment;
import io.aether.core.deployment.SliceAssignmentCodec;
import io.aether.core.deployment.SliceKeys;
import io.aether.core.endpoint.EndpointRecord;
import io.aether.core.kv.KeyValue;
import io.aether.core.kv.KvCommand;
import io.aether.core.kv.KvResult;
import io.aether.node.AetherNode;
import io.aether.node.NodeRuntime;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code GET /api/v1/nodes|slices|endpoints}: what runs where, as the KV and this node's registries see it. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {

    /** The most {@code slices/} keys one answer lists. */
    static final int MAX_SLICES = 10_000;

    private final AetherNode node;

    ClusterResource(AetherNode node) {
        this.node = node;
    }

    /** A list answer. */
    public record Items<T>(List<T> items) {
    }

    /** A node as the membership sees it. */
    public record NodeView(String id, String role, String http, String call, boolean live, boolean leader,
                           boolean drain, String startedAt, long beat) {
        static NodeView of(NodeRecord n, NodeRuntime rt) {
            return new NodeView(n.nodeId(), n.role().name().toLowerCase(), n.http(), n.call(),
                    rt.registry().isLive(n.nodeId()), rt.leader().leader().map(n.nodeId()::equals).orElse(false),
                    n.drain(), n.startedAt().toString(), n.beat());
        }
    }

    /** One {@code slices/{node}/{artifact}} key: what the leader asked of a node and how far the node got. */
    public record SliceView(String node, String artifact, String state, int instances, String reason,
                            String blueprint, String updatedAt) {
    }

    /** One {@code endpoints/} key. */
    public record EndpointView(String artifact, String entry, String instance, String node, String state) {
    }

    @GET
    @Path("/nodes")
    @Operation(summary = "Every registered node: role, addresses, liveness, leadership, drain flag")
    public Items<NodeView> nodes() {
        NodeRuntime rt = node.runtime();
        return new Items<>(rt.registry().allNodes().values().stream().map(n -> NodeView.of(n, rt)).toList());
    }

    /** {@code POST /api/v1/drain}: whether this node takes new instances. */
    public record DrainRequest(Boolean drain) {
    }

    @POST
    @Path("/drain")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Drain this node (its instances move to other nodes) or take it back into service")
    public Uni<NodeView> drain(DrainRequest request) {
        if (request == null || request.drain() == null) {
            throw new BadRequestException("body: expected {\"drain\": true|false}");
        }
        NodeRuntime rt = node.runtime();
        return Uni.createFrom().completionStage(rt.registry().drain(request.drain())).map(v -> {
            String self = rt.registry().selfId();
            // The registry's own record follows the watch; the flag just written is what this answer reports.
            return NodeView.of(rt.registry().node(self).orElseThrow(() -> new IllegalStateException(
                    "node '" + self + "' has no record after writing its drain flag")).withDrain(request.drain()), rt);
        });
    }

    @GET
    @Path("/slices")
    @Operation(summary = "Every slice on every node with its lifecycle state and, when FAILED, the reason")
    public Uni<Items<SliceView>> slices() {
        return Uni.createFrom().completionStage(node.kv().execute(new KvCommand.Range(SliceKeys.PREFIX, "",
                MAX_SLICES))).map(r -> {
                    if (!(r instanceof KvResult.RangeResult range)) {
                        throw new IllegalStateException("range of " + SliceKeys.PREFIX + " answered " + r);
                    }
                    List<SliceView> views = new ArrayList<>();
                    for (KeyValue kv : range.kvs()) {
                        String rest = kv.key().substring(SliceKeys.PREFIX.length());
                        int slash = rest.indexOf('/');
                        SliceAssignment a = SliceAssignmentCodec.decode(kv.key(), kv.value());
                        views.add(new SliceView(rest.substring(0, slash), rest.substring(slash + 1), a.state().name(),
                                a.instances(), a.reason().orElse(null), a.blueprint(), a.updatedAt().toString()));
                    }
                    return new Items<>(views);
                });
    }

    @GET
    @Path("/endpoints")
    @Operation(summary = "Every published endpoint on a live node")
    public Items<EndpointView> endpoints() {
        List<EndpointView> views = new ArrayList<>();
        for (EndpointRecord e : node.runtime().endpoints().all()) {
            views.add(new EndpointView(e.artifact().toString(), e.entryPoint(), e.instanceId(), e.nodeId(), e.state()));
        }
        return new Items<>(views);
    }
}

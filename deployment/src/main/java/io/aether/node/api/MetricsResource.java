package io.aether.node.api;

import io.aether.core.metrics.ClusterMetricsSnapshot;
import io.aether.core.metrics.MetricsAggregator;
import io.aether.node.AetherNode;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.function.Consumer;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * {@code GET /api/v1/metrics}: the latest cluster metrics second (every node holds the snapshot the leader
 * broadcast); {@code GET /api/v1/metrics/stream}: one snapshot per second as server-sent events.
 */
@Path("/api/v1/metrics")
public class MetricsResource {

    /** Snapshots buffered for one slow SSE client before its stream fails (it reconnects). */
    static final int CLIENT_BUFFER = 64;

    private final AetherNode node;

    MetricsResource(AetherNode node) {
        this.node = node;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The latest one-second cluster metrics: per node CPU and heap, per slice load and latency")
    public ClusterMetricsSnapshot latest() {
        return node.runtime().metrics().latest().orElseThrow(() -> new NotFoundException(
                "no metrics second yet: the leader publishes the first one a second after it starts aggregating"));
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "One cluster metrics snapshot per second, as server-sent events")
    public Multi<ClusterMetricsSnapshot> stream() {
        MetricsAggregator metrics = node.runtime().metrics();
        return Multi.createFrom().<ClusterMetricsSnapshot>emitter(emitter -> {
            Consumer<ClusterMetricsSnapshot> listener = emitter::emit;
            metrics.addListener(listener);
            emitter.onTermination(() -> metrics.removeListener(listener));
        }, CLIENT_BUFFER);
    }
}

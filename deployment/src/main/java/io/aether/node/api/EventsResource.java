package io.aether.node.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aether.core.cluster.ClusterEventBus;
import io.aether.core.cluster.SequencedEvent;
import io.aether.node.AetherNode;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * {@code GET /api/v1/events}: this node's cluster events (nodes joining, leaving and failing, leadership, slice
 * states, blueprint changes) as server-sent events, after a replay of the recent ones. A client that reconnects
 * with {@code Last-Event-ID} (the {@code seq}) resumes without gaps while the history still holds it. A client
 * that falls more than {@value #CLIENT_BUFFER} events behind has its stream ended with an error (it reconnects
 * with {@code Last-Event-ID}); the bus's own per-subscriber queue is bounded too and reports losses as an
 * {@code Overflow} event.
 */
@Path("/api/v1/events")
public class EventsResource {

    /** Events buffered for one SSE client; beyond it the stream fails rather than grow without bound. */
    static final int CLIENT_BUFFER = 1024;

    private final AetherNode node;
    private final ObjectMapper json;

    EventsResource(AetherNode node, ObjectMapper json) {
        this.node = node;
        this.json = json;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Cluster events as server-sent events: the last `replay` first, then live")
    public Multi<ObjectNode> events(@QueryParam("replay") @DefaultValue("100") int replay,
                                    @HeaderParam("Last-Event-ID") Long lastEventId) {
        ClusterEventBus bus = node.runtime().bus();
        long after = lastEventId != null ? lastEventId : Math.max(0, bus.lastSeq() - Math.max(0, replay));
        return Multi.createFrom().<ObjectNode>emitter(emitter -> {
            ClusterEventBus.Subscription subscription = bus.subscribe(after, e -> emitter.emit(toJson(e)));
            emitter.onTermination(subscription::close);
        }, CLIENT_BUFFER);
    }

    private ObjectNode toJson(SequencedEvent e) {
        ObjectNode node = json.createObjectNode();
        node.put("seq", e.seq());
        node.put("at", e.at().toString());
        node.put("type", e.event().getClass().getSimpleName());
        node.setAll((ObjectNode) json.valueToTree(e.event()));
        return node;
    }
}

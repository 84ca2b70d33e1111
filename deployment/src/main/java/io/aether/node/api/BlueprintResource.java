package io.aether.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aether.core.control.Verdict;
import io.aether.core.deployment.Blueprint;
import io.aether.core.deployment.BlueprintException;
import io.aether.core.deployment.BlueprintCodec;
import io.aether.core.deployment.BlueprintService.Written;
import io.aether.core.slice.Artifact;
import io.aether.node.AetherNode;
import io.aether.node.NodeRuntime;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Blueprints: {@code /api/v1/blueprints/{tenant}/{name}} create/replace, read, delete, list; {@code POST
 * /api/v1/scale} and {@code POST /api/v1/deploy} change one slice of one blueprint. Validation errors are 422
 * problems whose {@code errors} name each field and the rule it breaks; conflicts with other blueprints are 409.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class BlueprintResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AetherNode node;

    BlueprintResource(AetherNode node) {
        this.node = node;
    }

    /** A blueprint in a list. */
    public record Summary(String tenant, String name, List<String> slices) {
    }

    /** What a write stored. */
    public record WriteResult(String tenant, String name, long revision, boolean created, JsonNode blueprint) {
        static WriteResult of(Written w) {
            try {
                return new WriteResult(w.blueprint().tenant(), w.blueprint().name(), w.revision(), w.created(),
                        JSON.readTree(BlueprintCodec.encode(w.blueprint())));
            } catch (IOException e) {
                throw new IllegalStateException("blueprint '" + w.blueprint().id() + "' does not encode as JSON", e);
            }
        }
    }

    /** {@code POST /api/v1/scale} and {@code /deploy}: one slice of one blueprint. */
    public record SliceChange(String tenant, String name, String artifact, Integer instances) {
    }

    @GET
    @Path("/blueprints")
    @Operation(summary = "Every valid blueprint with the artifacts it deploys")
    public ClusterResource.Items<Summary> list() {
        List<Summary> items = new ArrayList<>();
        for (Blueprint b : node.runtime().blueprints().all().values()) {
            items.add(new Summary(b.tenant(), b.name(), b.slices().stream().map(s -> s.artifact().toString()).toList()));
        }
        return new ClusterResource.Items<>(items);
    }

    @GET
    @Path("/blueprints/{tenant}/{name}")
    @Operation(summary = "One blueprint, as stored")
    public JsonNode get(@PathParam("tenant") String tenant, @PathParam("name") String name) throws IOException {
        Blueprint b = node.runtime().blueprints().get(tenant + "/" + name)
                .orElseThrow(() -> new NotFoundException("blueprint '" + tenant + "/" + name + "' does not exist"));
        return JSON.readTree(BlueprintCodec.encode(b));
    }

    @PUT
    @Path("/blueprints/{tenant}/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create or replace a blueprint (validated; 422 names every broken rule, 409 a conflict)")
    public Uni<Response> apply(@PathParam("tenant") String tenant, @PathParam("name") String name, byte[] body) {
        return Uni.createFrom().completionStage(node.runtime().blueprintService().apply(tenant, name, body))
                .map(w -> Response.status(w.created() ? 201 : 200).entity(WriteResult.of(w)).build());
    }

    @DELETE
    @Path("/blueprints/{tenant}/{name}")
    @Operation(summary = "Delete a blueprint; its instances are deactivated and unloaded")
    public Uni<Response> delete(@PathParam("tenant") String tenant, @PathParam("name") String name) {
        return Uni.createFrom().completionStage(node.runtime().blueprintService().delete(tenant, name))
                .map(deleted -> {
                    if (!deleted) {
                        throw new NotFoundException("blueprint '" + tenant + "/" + name + "' does not exist");
                    }
                    return Response.noContent().build();
                });
    }

    @POST
    @Path("/scale")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the instance count of one slice, through the guardrails; always leaves a receipt")
    public Uni<ScaleResult> scale(SliceChange change) {
        check(change);
        NodeRuntime rt = node.runtime();
        String id = change.tenant() + "/" + change.name();
        if (rt.blueprints().get(id).isEmpty()) {
            throw new NotFoundException("blueprint '" + id + "' does not exist");
        }
        return Uni.createFrom().completionStage(rt.control().humanScale(change.tenant(), change.name(),
                change.artifact(), change.instances(), ControllerResource.ACTOR)).map(outcome -> {
                    if (outcome.verdict().outcome() == Verdict.Outcome.REJECT) {
                        throw new BlueprintException(id, BlueprintException.Kind.INVALID, List.of(
                                new BlueprintException.Violation("instances", String.join("; ",
                                        outcome.verdict().reasons()) + " (receipt " + outcome.receipt().seq() + ")")));
                    }
                    return new ScaleResult(change.tenant(), change.name(), outcome.verdict().change().artifact(),
                            outcome.verdict().allowedInstances(), outcome.receipt().verdict(), outcome.receipt().seq());
                });
    }

    /** What a scale request came to; the receipt records it in the ledger. */
    public record ScaleResult(String tenant, String name, String artifact, int instances, String verdict,
                              long receipt) {
    }

    @POST
    @Path("/deploy")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Put an artifact into a blueprint (creating it), or move its slice to this version")
    public Uni<WriteResult> deploy(SliceChange change) {
        check(change);
        Artifact artifact;
        try {
            artifact = Artifact.parse(change.artifact());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("artifact: " + e.getMessage());
        }
        return Uni.createFrom().completionStage(node.runtime().blueprintService().deploy(change.tenant(),
                change.name(), artifact, change.instances())).map(WriteResult::of);
    }

    private static void check(SliceChange change) {
        if (change == null) {
            throw new BadRequestException("body: expected {\"tenant\",\"name\",\"artifact\",\"instances\"}");
        }
        List<String> missing = new ArrayList<>();
        if (change.tenant() == null) {
            missing.add("tenant");
        }
        if (change.name() == null) {
            missing.add("name");
        }
        if (change.artifact() == null) {
            missing.add("artifact");
        }
        if (change.instances() == null) {
            missing.add("instances");
        }
        if (!missing.isEmpty()) {
            throw new BadRequestException("body: missing " + String.join(", ", missing));
        }
        if (change.instances() < 0) {
            throw new BadRequestException("instances: " + change.instances() + " is negative");
        }
    }
}

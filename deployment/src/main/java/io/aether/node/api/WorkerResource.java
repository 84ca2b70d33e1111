package io.aether.node.api;

import io.aether.node.AetherNode;
import io.aether.node.provision.LocalProcessProvisioner;
import io.aether.node.provision.ProvisionerException;
import io.aether.node.provision.WorkerProvisioning;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** {@code /api/v1/workers}: the worker nodes this node's provisioner ({@code aether.provisioner}) runs. */
@Path("/api/v1/workers")
@Produces(MediaType.APPLICATION_JSON)
public class WorkerResource {

    private static final String ACTOR = "human:api";

    private final WorkerProvisioning provisioning;
    private final AetherNode node;

    WorkerResource(WorkerProvisioning provisioning, AetherNode node) {
        this.provisioning = provisioning;
        this.node = node;
    }

    /** One worker: node id, provisioner state, pid, HTTP port, and whether the cluster sees it live. */
    public record WorkerView(String id, String state, long pid, int httpPort, boolean live) {
    }

    /** The answer of {@code GET}: which provisioner, its bound, and its workers. */
    public record Workers(String provisioner, int maxWorkers, List<WorkerView> items) {
    }

    /** The answer of {@code POST} and {@code DELETE}. */
    public record WorkerChange(String id, String status) {
    }

    @GET
    @Operation(summary = "The provisioner (none or local), its worker limit and the workers it runs")
    public Workers list() {
        var local = provisioning.local();
        if (local.isEmpty()) {
            return new Workers("none", 0, List.of());
        }
        var registry = node.runtime().registry();
        return new Workers("local", local.get().maxWorkers(), local.get().describe().stream()
                .map(w -> new WorkerView(w.id(), w.state().name().toLowerCase(), w.pid(), w.httpPort(),
                        registry.isLive(w.id()))).toList());
    }

    @POST
    @Operation(summary = "Start one worker node; 202 with its id once its process is started (it registers soon after)")
    public Uni<Response> add() {
        LocalProcessProvisioner p = require();
        return Uni.createFrom().completionStage(p.addWorker("added by " + ACTOR)).map(id -> Response.accepted(
                new WorkerChange(id, "started")).build());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Drain worker {id}, wait until its instances moved, then stop it")
    public Uni<WorkerChange> remove(@PathParam("id") String id) {
        LocalProcessProvisioner p = require();
        return Uni.createFrom().completionStage(p.removeWorker(id, "removed by " + ACTOR))
                .map(v -> new WorkerChange(id, "removed"));
    }

    private LocalProcessProvisioner require() {
        return provisioning.local().orElseThrow(() -> new ProvisionerException(ProvisionerException.Kind.NOT_CONFIGURED,
                "no worker provisioner is configured on node '" + node.settings().nodeId()
                        + "' (aether.provisioner=none); start the node with aether.provisioner=local"));
    }

    /** Not configured, at the limit or busy 409; unknown worker 404; a failed start, drain or stop 502. */
    @ServerExceptionMapper
    public Response problem(ProvisionerException e, UriInfo uri) {
        int status = switch (e.kind()) {
            case NOT_CONFIGURED, LIMIT_REACHED, BUSY -> 409;
            case UNKNOWN_WORKER -> 404;
            case FAILED -> 502;
        };
        String title = switch (e.kind()) {
            case NOT_CONFIGURED -> "No Provisioner";
            case LIMIT_REACHED -> "Worker Limit Reached";
            case BUSY -> "Conflict";
            case UNKNOWN_WORKER -> "Not Found";
            case FAILED -> "Provisioning Failed";
        };
        return new Problem("about:blank", title, status, e.getMessage(), uri.getPath()).toResponse();
    }
}

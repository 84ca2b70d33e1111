package io.aether.node.api;

import io.aether.core.control.ControlLoop;
import io.aether.core.control.ControlMode;
import io.aether.core.control.ControlModeStore;
import io.aether.core.control.Decision;
import io.aether.core.control.GovernorState;
import io.aether.core.control.KvReceiptLedger;
import io.aether.core.control.Layer;
import io.aether.core.control.Proposal;
import io.aether.core.control.Receipt;
import io.aether.node.AetherNode;
import io.aether.node.NodeRuntime;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The controller chain for operators: mode, the last decision and the governors ({@code /api/v1/controller}),
 * proposals to approve or reject ({@code /api/v1/proposals}), and the receipt ledger with its verification
 * ({@code /api/v1/receipts}). Human actions are recorded as receipts with the actor {@code human:api}.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ControllerResource {

    /** Until authentication arrives every API caller is the same human actor. */
    static final String ACTOR = "api";

    private final AetherNode node;

    ControllerResource(AetherNode node) {
        this.node = node;
    }

    /**
     * The controller as operators see it: the global mode, each layer's, the chain's last decision and the
     * governors.
     */
    public record ControllerView(String mode, String leader, LastDecisionView lastDecision, List<LayerView> layers,
                                 Map<String, GovernorState> governors) {
    }

    /**
     * One layer: its own mode, the mode its decisions get (the more restrictive of the global mode and its own), and,
     * when the chain runs it ({@code running}), its schedule ({@code everyMs} 0 = only on escalation) and its status
     * on the leader (elsewhere: no last decision, run or failure).
     */
    public record LayerView(String layer, String mode, String effectiveMode, boolean running, Long everyMs,
                            Long timeoutMs, LastDecisionView lastDecision, String lastRun, boolean inFlight,
                            FailureView lastFailure) {
        static LayerView of(Layer layer, Optional<ControlLoop.LayerStatus> status, ControlModeStore modes) {
            return new LayerView(name(layer), name(modes.mode(layer)), name(modes.effective(layer)),
                    status.isPresent(), status.map(s -> s.every().toMillis()).orElse(null),
                    status.map(s -> s.timeout().toMillis()).orElse(null),
                    status.flatMap(ControlLoop.LayerStatus::lastDecision).map(LastDecisionView::of).orElse(null),
                    status.flatMap(ControlLoop.LayerStatus::lastRun).map(Object::toString).orElse(null),
                    status.map(ControlLoop.LayerStatus::inFlight).orElse(false),
                    status.flatMap(ControlLoop.LayerStatus::lastFailure)
                            .map(f -> new FailureView(f.at().toString(), f.message())).orElse(null));
        }
    }

    /** Why a layer's last evaluation produced nothing, and when. */
    public record FailureView(String at, String message) {
    }

    /** The chain's last decision (on the leader; null elsewhere or before the first). */
    public record LastDecisionView(String at, String layer, String reasoning, List<Decision.ScaleChange> changes) {
        static LastDecisionView of(ControlLoop.LastDecision d) {
            return new LastDecisionView(d.at().toString(), d.decision().layer().name(), d.decision().reasoning(),
                    d.decision().changes());
        }
    }

    /** {@code PUT /api/v1/controller/mode}: {@code layer} {@code l1|l2|l3}, or absent for the global mode. */
    public record ModeChange(String mode, String layer) {
    }

    /** A proposal as listed. */
    public record ProposalView(String id, String created, String expires, String layer, String status,
                               String reasoning, List<Decision.ScaleChange> changes, String decidedBy, String note,
                               io.aether.core.control.ModelCall model) {
        static ProposalView of(Proposal p) {
            return new ProposalView(p.id(), p.created().toString(), p.expires().toString(), p.layer().name(),
                    p.status().name().toLowerCase(Locale.ROOT), p.reasoning(), p.decision().changes(),
                    p.decidedBy().orElse(null), p.note().orElse(null), p.decision().model().orElse(null));
        }
    }

    /** {@code POST /api/v1/proposals/{id}/reject}. */
    public record RejectRequest(String reason) {
    }

    /** What an approval came to: one receipt per change. */
    public record ApprovalResult(List<Receipt> receipts) {
    }

    /** The ledger's verdict on its own chain. */
    public record Verification(boolean ok, long receipts, String head, String firstBrokenLink) {
    }

    @GET
    @Path("/controller")
    @Operation(summary = "The controller modes (global and per layer), the leader, each layer's status, the "
            + "chain's last decision and every slice's governor")
    public ControllerView controller() {
        NodeRuntime rt = node.runtime();
        return new ControllerView(name(rt.controlMode().mode()), rt.leader().leader().orElse(null),
                rt.control().lastDecision().map(LastDecisionView::of).orElse(null),
                layers(rt),
                rt.control().governors().states());
    }

    @PUT
    @Path("/controller/mode")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Switch the controller (or one layer: \"layer\":\"l2\") between observe, propose and apply; "
            + "leaves a mode receipt")
    public Uni<ModeChange> mode(ModeChange change) {
        if (change == null || change.mode() == null) {
            throw new BadRequestException("mode: expected one of observe, propose, apply");
        }
        ControlMode mode;
        try {
            mode = ControlMode.valueOf(change.mode().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("mode: '" + change.mode() + "' is not one of observe, propose, apply");
        }
        ControlModeStore modes = node.runtime().controlMode();
        if (change.layer() == null) {
            return Uni.createFrom().completionStage(modes.set(mode, "human:" + ACTOR))
                    .map(r -> new ModeChange(name(mode), null));
        }
        Layer layer = ControlModeStore.LAYERS.stream()
                .filter(l -> l.name().equalsIgnoreCase(change.layer().trim())).findFirst()
                .orElseThrow(() -> new BadRequestException("layer: '" + change.layer()
                        + "' is not one of l1, l2, l3 (omit it for the global mode)"));
        return Uni.createFrom().completionStage(modes.set(layer, mode, "human:" + ACTOR))
                .map(r -> new ModeChange(name(mode), name(layer)));
    }

    /** L1, L2, L3 with their modes, whether or not the chain runs them. */
    private static List<LayerView> layers(NodeRuntime rt) {
        Map<Layer, ControlLoop.LayerStatus> running = new java.util.EnumMap<>(Layer.class);
        rt.control().layers().forEach(s -> running.put(s.layer(), s));
        return ControlModeStore.LAYERS.stream()
                .map(l -> LayerView.of(l, Optional.ofNullable(running.get(l)), rt.controlMode())).toList();
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    @GET
    @Path("/proposals")
    @Operation(summary = "Every stored proposal, pending ones first to decide")
    public Uni<ClusterResource.Items<ProposalView>> proposals() {
        return Uni.createFrom().completionStage(node.runtime().proposals().list())
                .map(list -> new ClusterResource.Items<>(list.stream().map(ProposalView::of).toList()));
    }

    @POST
    @Path("/proposals/{id}/approve")
    @Operation(summary = "Approve a pending proposal: its changes pass the guardrails again and are applied")
    public Uni<ApprovalResult> approve(@PathParam("id") String id) {
        return Uni.createFrom().completionStage(node.runtime().control().approve(id, ACTOR)).map(ApprovalResult::new)
                .onFailure(IllegalStateException.class).transform(ControllerResource::conflict);
    }

    @POST
    @Path("/proposals/{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reject a pending proposal, with a reason")
    public Uni<Receipt> reject(@PathParam("id") String id, RejectRequest request) {
        String reason = request == null || request.reason() == null || request.reason().isBlank()
                ? "no reason given" : request.reason();
        return Uni.createFrom().completionStage(node.runtime().control().reject(id, ACTOR, reason))
                .onFailure(IllegalStateException.class).transform(ControllerResource::conflict);
    }

    /** A proposal that is missing, decided or expired: the request conflicts with its state. */
    private static Throwable conflict(Throwable e) {
        return new jakarta.ws.rs.ClientErrorException(e.getMessage(), 409);
    }

    @GET
    @Path("/receipts")
    @Operation(summary = "Receipts from a seq on (at most 1000), oldest first")
    public Uni<ClusterResource.Items<Receipt>> receipts(@QueryParam("fromSeq") @DefaultValue("1") long fromSeq,
                                                        @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > KvReceiptLedger.MAX_LIST) {
            throw new BadRequestException("limit: " + limit + " is outside 1.." + KvReceiptLedger.MAX_LIST);
        }
        return Uni.createFrom().completionStage(node.runtime().receipts().list(Math.max(1, fromSeq), limit))
                .map(ClusterResource.Items::new);
    }

    @GET
    @Path("/receipts/verify")
    @Operation(summary = "Verify the whole receipt chain; names the first broken link")
    public Uni<Verification> verify() {
        KvReceiptLedger ledger = node.runtime().receipts();
        return Uni.createFrom().completionStage(ledger.verify().thenCombine(ledger.head(),
                (Optional<String> broken, KvReceiptLedger.Head head) -> new Verification(broken.isEmpty(), head.seq(),
                        head.hash(), broken.orElse(null))));
    }
}

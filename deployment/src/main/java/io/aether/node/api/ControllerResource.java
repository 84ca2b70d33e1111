package io.aether.node.api;

import io.aether.core.control.ControlLoop;
import io.aether.core.control.ControlMode;
import io.aether.core.control.Decision;
import io.aether.core.control.GovernorState;
import io.aether.core.control.KvReceiptLedger;
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

    /** The controller as operators see it. */
    public record ControllerView(String mode, String leader, LastDecisionView lastDecision,
                                 Map<String, GovernorState> governors) {
    }

    /** The chain's last decision (on the leader; null elsewhere or before the first). */
    public record LastDecisionView(String at, String layer, String reasoning, List<Decision.ScaleChange> changes) {
        static LastDecisionView of(ControlLoop.LastDecision d) {
            return new LastDecisionView(d.at().toString(), d.decision().layer().name(), d.decision().reasoning(),
                    d.decision().changes());
        }
    }

    /** {@code PUT /api/v1/controller/mode}. */
    public record ModeChange(String mode) {
    }

    /** A proposal as listed. */
    public record ProposalView(String id, String created, String expires, String layer, String status,
                               String reasoning, List<Decision.ScaleChange> changes, String decidedBy, String note) {
        static ProposalView of(Proposal p) {
            return new ProposalView(p.id(), p.created().toString(), p.expires().toString(), p.layer().name(),
                    p.status().name().toLowerCase(Locale.ROOT), p.reasoning(), p.decision().changes(),
                    p.decidedBy().orElse(null), p.note().orElse(null));
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
    @Operation(summary = "The controller mode, the leader, the chain's last decision and every slice's governor")
    public ControllerView controller() {
        NodeRuntime rt = node.runtime();
        return new ControllerView(rt.controlMode().mode().name().toLowerCase(Locale.ROOT),
                rt.leader().leader().orElse(null), rt.control().lastDecision().map(LastDecisionView::of).orElse(null),
                rt.control().governors().states());
    }

    @PUT
    @Path("/controller/mode")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Switch the controller between observe, propose and apply")
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
        return Uni.createFrom().completionStage(node.runtime().controlMode().set(mode, "human:" + ACTOR))
                .map(v -> new ModeChange(mode.name().toLowerCase(Locale.ROOT)));
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

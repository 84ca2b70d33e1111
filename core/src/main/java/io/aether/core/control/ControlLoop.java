package io.aether.core.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aether.core.client.KvClient;
import io.aether.core.control.ControlContext.SliceSpec;
import io.aether.core.control.Verdict.Outcome;
import io.aether.core.deployment.BlueprintService;
import io.aether.core.metrics.ClusterMetricsSnapshot;
import io.aether.core.metrics.MetricsHistory;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The controller chain on the leader (DESIGN §8). Once a second, while started and leader: builds the
 * {@link ControlContext} from the read models, feeds the {@link Governors} (a transition is stored at
 * {@code governors/{artifact}} and leaves a {@code governor} receipt), expires proposals, runs the layers in order
 * (layer n+1 only when layer n escalates; a layer that throws or overruns its timeout is skipped and the layer
 * below stands), and passes each non-hold decision through the {@link Guardrails} under the current mode:
 * APPLY scales the blueprint and leaves an {@code applied} receipt, PROPOSE stores a proposal ({@code proposed}),
 * OBSERVE leaves {@code observed}, REJECT leaves {@code rejected} with the reasons. Holds leave no receipt; the last
 * decision is kept for {@link #lastDecision}.
 *
 * <p>Leadership is checked again right before every write, and a scale sets an absolute count with {@code cas} on
 * the blueprint, so a leader that lost leadership mid-evaluation applies nothing and a repeated apply is harmless.
 * Human requests ({@link #humanScale}, {@link #approve}, {@link #reject}) take the same guardrails on any node.
 */
public final class ControlLoop implements AutoCloseable {

    /**
     * The read models the context is built from; the app passes its metrics, cluster and blueprint views. They are
     * asked on the loop thread and on the caller's thread of a human request, never from KV callbacks; they should
     * answer from memory.
     */
    public record ReadModels(Supplier<ClusterMetricsSnapshot> latest, Supplier<MetricsHistory> history,
                             Supplier<List<ControlContext.NodeView>> topology,
                             Supplier<Map<String, SliceSpec>> slices,
                             Supplier<List<ControlContext.ControlEvent>> recentEvents) {
    }

    /** The last decision the chain made, hold or not. */
    public record LastDecision(Instant at, Decision decision) {
    }

    /** What a human request came to: the guardrails' verdict and the receipt it left. */
    public record HumanOutcome(Verdict verdict, Receipt receipt) {
    }

    /** How long any KV step of a tick may take before the tick gives up (the next tick starts fresh). */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);
    private static final System.Logger LOG = System.getLogger(ControlLoop.class.getName());

    private final List<Controller> chain;
    private final ReadModels reads;
    private final Guardrails guardrails;
    private final Governors governors;
    private final ControlModeStore mode;
    private final ProposalStore proposals;
    private final ReceiptLedger ledger;
    private final BlueprintService blueprints;
    private final KvClient kv;
    private final BooleanSupplier isLeader;
    private final Clock clock;
    private final Duration layerTimeout;
    private final ExecutorService layers;
    private volatile LastDecision lastDecision;
    private ScheduledExecutorService ticker;

    /**
     * @param chain        the layers, L1 first; each runs only when the one before escalates
     * @param kv           where governor states are stored
     * @param isLeader     whether this node leads now; asked before every tick and every write
     * @param layerTimeout how long one layer may evaluate
     */
    public ControlLoop(List<Controller> chain, ReadModels reads, Guardrails guardrails, Governors governors,
                       ControlModeStore mode, ProposalStore proposals, ReceiptLedger ledger,
                       BlueprintService blueprints, KvClient kv, BooleanSupplier isLeader, Clock clock,
                       Duration layerTimeout) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("control loop: the chain needs at least the L1 controller");
        }
        this.chain = List.copyOf(chain);
        this.reads = reads;
        this.guardrails = guardrails;
        this.governors = governors;
        this.mode = mode;
        this.proposals = proposals;
        this.ledger = ledger;
        this.blueprints = blueprints;
        this.kv = kv;
        this.isLeader = isLeader;
        this.clock = clock;
        this.layerTimeout = layerTimeout;
        // One thread per layer at most: a layer stuck past its timeout holds its thread, and once every thread is
        // stuck further evaluations are refused (logged) instead of piling up.
        this.layers = new ThreadPoolExecutor(0, this.chain.size(), 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> daemon(r, "aether-control-layer"));
    }

    /** Starts ticking once a second; call on gaining leadership. Idempotent. */
    public synchronized void start() {
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "aether-control-loop"));
            ticker.scheduleWithFixedDelay(this::safeTick, 0, 1, TimeUnit.SECONDS);
        }
    }

    /** Stops ticking; call on losing leadership. Idempotent; a tick in flight checks leadership before writing. */
    public synchronized void stop() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
    }

    public Optional<LastDecision> lastDecision() {
        return Optional.ofNullable(lastDecision);
    }

    public Governors governors() {
        return governors;
    }

    private void safeTick() {
        try {
            tick();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "control loop tick failed; the next tick starts fresh", e);
        }
    }

    /** One second of control. Package-private so tests drive it deterministically. */
    void tick() throws Exception {
        if (!isLeader.getAsBoolean()) {
            return;
        }
        ControlContext before = context();
        List<Governor.Transition> transitions = governors.update(before);
        ControlContext ctx = withGovernors(before);
        for (Governor.Transition t : transitions) {
            if (!isLeader.getAsBoolean()) {
                return;
            }
            recordTransition(t, ctx);
        }
        for (Proposal p : await(proposals.expire())) {
            if (!isLeader.getAsBoolean()) {
                return;
            }
            await(ledger.append(new ReceiptDraft(actorOf(p.layer()), p.layer(), digest(ctx),
                    decisionJson(p.decision(), p.id()), p.note().orElse("expired"), "expired")));
        }
        guardrails.retain(ctx.slices().keySet());
        if (ctx.latest() == null) {
            lastDecision = new LastDecision(ctx.now(), Decision.hold(chain.get(0).layer(), "no metrics snapshot yet"));
            return;
        }
        for (Controller layer : chain) {
            Optional<Decision> decision = evaluate(layer, ctx);
            if (decision.isEmpty()) {
                return;
            }
            Decision d = decision.get();
            lastDecision = new LastDecision(ctx.now(), d);
            if (!d.isHold() && !act(d, ctx, mode.mode())) {
                return;
            }
            if (d.escalation().isEmpty()) {
                return;
            }
        }
    }

    private Optional<Decision> evaluate(Controller layer, ControlContext ctx) {
        Future<Decision> f;
        try {
            f = layers.submit(() -> layer.evaluate(ctx));
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "layer " + layer.layer() + " not run: every layer thread is still busy");
            return Optional.empty();
        }
        try {
            Decision d = f.get(layerTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (d.layer() != layer.layer()) {
                LOG.log(Level.WARNING, "layer " + layer.layer() + " answered a decision of layer " + d.layer()
                        + "; ignored");
                return Optional.empty();
            }
            return Optional.of(d);
        } catch (TimeoutException e) {
            f.cancel(true);
            LOG.log(Level.WARNING, "layer " + layer.layer() + " overran its " + layerTimeout.toMillis()
                    + " ms timeout; the layer below stands");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "layer " + layer.layer() + " failed; the layer below stands", e);
        }
        return Optional.empty();
    }

    /** Passes {@code d} through the guardrails and acts on every verdict; false when leadership was lost. */
    private boolean act(Decision d, ControlContext ctx, ControlMode current) throws Exception {
        List<Verdict> verdicts = guardrails.check(d, ctx, current);
        String digest = digest(ctx);
        List<Verdict> toPropose = new ArrayList<>();
        for (Verdict v : verdicts) {
            if (v.outcome() == Outcome.PROPOSE) {
                toPropose.add(v);
                continue;
            }
            if (!isLeader.getAsBoolean()) {
                LOG.log(Level.INFO, "leadership lost before acting on " + v.change() + "; nothing applied");
                return false;
            }
            if (v.outcome() == Outcome.APPLY) {
                await(apply(d, v, ctx, actorOf(d.layer()), digest, "applied"));
            } else {
                await(ledger.append(draft(d, v, actorOf(d.layer()), digest, v.outcome().receiptVerdict(), null)));
            }
        }
        if (!toPropose.isEmpty()) {
            if (!isLeader.getAsBoolean()) {
                return false;
            }
            List<Decision.ScaleChange> changes = toPropose.stream().map(v -> new Decision.ScaleChange(
                    v.change().blueprint(), v.change().artifact(), v.change().fromInstances(), v.allowedInstances(),
                    v.change().rule())).toList();
            Decision proposed = new Decision(d.layer(), changes, d.nodeActions(), d.reasoning(), d.confidence(),
                    d.escalation(), d.model());
            Proposal p = await(proposals.propose(proposed));
            await(ledger.append(new ReceiptDraft(actorOf(d.layer()), d.layer(), digest, decisionJson(proposed, p.id()),
                    d.reasoning() + reasonsOf(toPropose), "proposed")));
        }
        return true;
    }

    /**
     * Scales to {@code v}'s allowed count and leaves a receipt: {@code verdict} when the blueprint took it,
     * {@code rejected} with the blueprint's error when it did not.
     */
    private CompletableFuture<Receipt> apply(Decision d, Verdict v, ControlContext ctx, String actor, String digest,
                                             String verdict) {
        SliceSpec spec = ctx.slices().get(v.change().artifact());
        String[] id = spec.blueprint().split("/", 2);
        return blueprints.scale(id[0], id[1], spec.artifact(), v.allowedInstances()).handle((written, error) -> {
            if (error == null) {
                guardrails.recordApplied(spec.artifact(), spec.instances(), v.allowedInstances());
                return ledger.append(draft(d, v, actor, digest, verdict, null));
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            Verdict failed = new Verdict(v.change(), Outcome.REJECT,
                    append(v.reasons(), "blueprint refused: " + cause.getMessage()), spec.instances());
            return ledger.append(draft(d, failed, actor, digest, "rejected", null));
        }).thenCompose(f -> f);
    }

    /**
     * Sets the instances of {@code artifact} ({@code group:artifact[:version]}) in {@code tenant/name} on a human's
     * request, through the guardrails (bounds and quotas, no cooldown or rate). Always leaves a receipt
     * ({@code applied} or {@code rejected}); a rejected verdict's reasons name the bound that refused it.
     */
    public CompletableFuture<HumanOutcome> humanScale(String tenant, String name, String artifact, int instances,
                                                      String actor) {
        ControlContext ctx = withGovernors(context());
        String blueprint = tenant + "/" + name;
        String resolved = ctx.slices().values().stream()
                .filter(s -> s.blueprint().equals(blueprint)
                        && (s.artifact().equals(artifact) || s.artifact().startsWith(artifact + ":")))
                .map(SliceSpec::artifact).findFirst().orElse(artifact);
        int from = ctx.slice(resolved).map(SliceSpec::instances).orElse(0);
        Decision d = new Decision(Layer.HUMAN, List.of(new Decision.ScaleChange(blueprint, resolved, from, instances,
                "human request")), List.of(), "scale requested by " + actor, 1.0, Optional.empty());
        Verdict v = guardrails.check(d, ctx, ControlMode.APPLY).get(0);
        String digest = digest(ctx);
        String who = "human:" + actor;
        if (v.outcome() != Outcome.APPLY) {
            return ledger.append(draft(d, v, who, digest, "rejected", null)).thenApply(r -> new HumanOutcome(v, r));
        }
        return apply(d, v, ctx, who, digest, "applied").thenApply(r -> new HumanOutcome(
                r.verdict().equals("rejected") ? new Verdict(v.change(), Outcome.REJECT,
                        append(v.reasons(), r.reasoning()), from) : v, r));
    }

    /**
     * Approves pending proposal {@code id}: its changes go through the guardrails again (as the proposing layer,
     * in apply mode, on today's context) and each leaves an {@code approved} or {@code rejected} receipt. Fails
     * with {@link IllegalStateException} when the proposal is missing, decided, or expired.
     */
    public CompletableFuture<List<Receipt>> approve(String id, String actor) {
        // Built on the caller's thread: the read models may not be asked from KV callbacks (event loop threads).
        ControlContext ctx = withGovernors(context());
        return proposals.get(id).thenCompose(found -> {
            Proposal p = found.orElseThrow(() -> new IllegalStateException("proposal '" + id + "' does not exist"));
            if (p.status() == Proposal.Status.PENDING && !clock.instant().isBefore(p.expires())) {
                throw new IllegalStateException("proposal '" + id + "' expired at " + p.expires());
            }
            return proposals.decide(id, Proposal.Status.APPROVED, Optional.of(actor), Optional.empty());
        }).thenCompose(p -> {
            String digest = digest(ctx);
            String who = "human:" + actor;
            CompletableFuture<List<Receipt>> receipts = CompletableFuture.completedFuture(new ArrayList<>());
            for (Verdict v : guardrails.check(p.decision(), ctx, ControlMode.APPLY)) {
                receipts = receipts.thenCompose(list -> (v.outcome() == Outcome.APPLY
                        ? apply(p.decision(), v, ctx, who, digest, "approved")
                        : ledger.append(draft(p.decision(), v, who, digest, "rejected", p.id())))
                        .thenApply(r -> {
                            list.add(r);
                            return list;
                        }));
            }
            return receipts.thenApply(List::copyOf);
        });
    }

    /** Rejects pending proposal {@code id} with {@code reason}; leaves a {@code rejected} receipt. */
    public CompletableFuture<Receipt> reject(String id, String actor, String reason) {
        String digest = digest(withGovernors(context()));
        return proposals.decide(id, Proposal.Status.REJECTED, Optional.of(actor), Optional.of(reason))
                .thenCompose(p -> ledger.append(new ReceiptDraft("human:" + actor, Layer.HUMAN,
                        digest, decisionJson(p.decision(), p.id()),
                        "proposal rejected by " + actor + ": " + reason, "rejected")));
    }

    private void recordTransition(Governor.Transition t, ControlContext ctx) throws Exception {
        ObjectNode n = DecisionCodec.JSON.createObjectNode();
        n.put("v", 1);
        n.put("artifact", t.artifact());
        n.put("state", t.to().name().toLowerCase(Locale.ROOT));
        n.put("from", t.from().name().toLowerCase(Locale.ROOT));
        n.put("why", t.why());
        n.put("since", t.at().toString());
        await(kv.put("governors/" + t.artifact(), n.toString().getBytes(StandardCharsets.UTF_8)));
        await(ledger.append(new ReceiptDraft("governor:" + t.artifact(), Layer.L1, digest(ctx), n.toString(),
                t.artifact() + ": " + t.from().name().toLowerCase(Locale.ROOT) + " -> "
                        + t.to().name().toLowerCase(Locale.ROOT) + " after " + t.why(), "governor")));
    }

    private ControlContext context() {
        Instant now = clock.instant();
        return new ControlContext(now, reads.latest().get(), reads.history().get(), reads.recentEvents().get(),
                reads.topology().get(), reads.slices().get(), governors.states());
    }

    private ControlContext withGovernors(ControlContext c) {
        return new ControlContext(c.now(), c.latest(), c.history(), c.recentEvents(), c.topology(), c.slices(),
                governors.states());
    }

    private static ReceiptDraft draft(Decision d, Verdict v, String actor, String digest, String verdict,
                                      String proposalId) {
        ObjectNode n = DecisionCodec.change(v.change());
        n.put("allowedInstances", v.allowedInstances());
        n.put("confidence", d.confidence());
        if (proposalId != null) {
            n.put("proposal", proposalId);
        }
        d.model().ifPresent(m -> n.set("model", DecisionCodec.model(m)));
        return new ReceiptDraft(actor, d.layer(), digest, n.toString(), d.reasoning() + reasonsOf(List.of(v)),
                verdict);
    }

    private static String decisionJson(Decision d, String proposalId) {
        ObjectNode n = DecisionCodec.toJson(d);
        n.put("proposal", proposalId);
        return n.toString();
    }

    private static String reasonsOf(List<Verdict> verdicts) {
        StringBuilder sb = new StringBuilder();
        for (Verdict v : verdicts) {
            for (String r : v.reasons()) {
                sb.append("; ").append(r);
            }
        }
        return sb.toString();
    }

    private static List<String> append(List<String> list, String more) {
        List<String> out = new ArrayList<>(list);
        out.add(more);
        return out;
    }

    private static String actorOf(Layer layer) {
        return "controller:" + layer.name();
    }

    /** SHA-256 over the context's summary: time, snapshot second, stale nodes, slices, their metrics, governors. */
    static String digest(ControlContext ctx) {
        StringBuilder sb = new StringBuilder();
        sb.append(ctx.now()).append('\n');
        if (ctx.latest() != null) {
            sb.append(ctx.latest().epochSecond()).append('\n')
                    .append(new java.util.TreeSet<>(ctx.latest().staleNodes())).append('\n')
                    .append(new TreeMap<>(ctx.latest().slices())).append('\n');
        }
        sb.append(new TreeMap<>(ctx.slices())).append('\n').append(new TreeMap<>(ctx.governors()));
        return ReceiptCodec.sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        stop();
        layers.shutdownNow();
    }
}

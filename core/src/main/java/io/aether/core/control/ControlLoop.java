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
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The controller chain on the leader (DESIGN §8); the cluster never waits on a model. Once a second, when the
 * aggregator publishes a metrics snapshot ({@link #onSnapshot}; every 1.5 s without one), while started and leader,
 * a tick: builds the {@link ControlContext} from the read models, feeds the {@link Governors} (a
 * transition is stored at {@code governors/{artifact}} and leaves a {@code governor} receipt), expires proposals,
 * picks up the AI layers' finished evaluations, runs L1 synchronously, and starts the AI layers that are due.
 *
 * <p><b>AI layers</b> ({@link AiLayer}: L2, L3, in order) run on their own thread each, at most one evaluation in
 * flight per layer: on their schedule ({@code every}; zero = only on escalation) or when the layer below escalated
 * (L1 → L2 → L3; the context then carries the escalating decision, {@link ControlContext#below}). An escalation while
 * the layer is busy is kept as its one pending trigger (a later one replaces it). A finished evaluation is acted on
 * by the next tick, on the loop thread, so every write of the loop is serial. A layer still running past its
 * timeout is cancelled and leaves a {@code rejected} receipt ({@code "L2 overran its 20000 ms timeout; L1
 * stands"}); a {@link LayerFailure} leaves a {@code rejected} receipt with its message and its model call; any other
 * exception a {@code rejected} receipt naming it.
 *
 * <p>Every non-hold decision passes the {@link Guardrails} under its layer's {@linkplain ControlModeStore#effective
 * effective mode}: APPLY scales the blueprint (or asks the {@link NodeProvisioner}) and leaves an {@code applied}
 * receipt, PROPOSE stores a proposal ({@code proposed}), OBSERVE leaves {@code observed}, REJECT leaves
 * {@code rejected} with the reasons. Holds leave no receipt; the last decision is kept for {@link #lastDecision} and
 * per layer for {@link #layers}.
 *
 * <p>Leadership is checked again right before every write, and a scale sets an absolute count with {@code cas} on
 * the blueprint, so a leader that lost leadership mid-evaluation applies nothing and a repeated apply is harmless.
 * Human requests ({@link #humanScale}, {@link #humanNodeAction}, {@link #approve}, {@link #reject}) take the same
 * guardrails on any node.
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

    /**
     * An AI layer of the chain.
     *
     * @param every   how often it runs on its own; {@link Duration#ZERO} = only when the layer below escalates
     * @param timeout how long one evaluation may run before it is cancelled
     */
    public record AiLayer(Controller controller, Duration every, Duration timeout) {
        public AiLayer {
            Objects.requireNonNull(controller, "controller");
            if (controller.layer() != Layer.L2 && controller.layer() != Layer.L3) {
                throw new IllegalArgumentException("AI layer: " + controller.layer() + " is not L2 or L3");
            }
            if (every.isNegative()) {
                throw new IllegalArgumentException("AI layer " + controller.layer() + ": every " + every
                        + " must not be negative");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("AI layer " + controller.layer() + ": timeout " + timeout
                        + " must be positive");
            }
        }
    }

    /** The last decision the chain (or one layer) made, hold or not. */
    public record LastDecision(Instant at, Decision decision) {
    }

    /** Why a layer's last evaluation produced nothing, and when. */
    public record Failure(Instant at, String message) {
    }

    /**
     * One layer as operators see it.
     *
     * @param every    how often it runs on its own (L1: every tick; zero: only on escalation)
     * @param inFlight an evaluation is running (or finished, not yet acted on)
     */
    public record LayerStatus(Layer layer, Duration every, Duration timeout, Optional<LastDecision> lastDecision,
                              Optional<Instant> lastRun, boolean inFlight, Optional<Failure> lastFailure) {
    }

    /** What a human request came to: the guardrails' verdict and the receipt it left. */
    public record HumanOutcome(Verdict verdict, Receipt receipt) {
    }

    /** What a human node action came to: the guardrails' verdict and the receipt it left. */
    public record NodeOutcome(NodeVerdict verdict, Receipt receipt) {
    }

    /** How long any KV step of a tick may take before the tick gives up (the next tick starts fresh). */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);
    private static final String GOVERNORS = "governors/";
    private static final Duration TICK = Duration.ofSeconds(1);
    /**
     * Without snapshots (the metrics pipeline stalled, or none yet) the loop still ticks this often: governors,
     * proposal expiry and the AI layers' answers do not wait for metrics.
     */
    private static final Duration FALLBACK_TICK = Duration.ofMillis(1500);
    private static final long FALLBACK_CHECK_MS = 250;
    /** Identical rejected or observed verdicts within this window leave one receipt (see repeatNote). */
    static final Duration REPEAT_WINDOW = Duration.ofSeconds(60);
    private static final System.Logger LOG = System.getLogger(ControlLoop.class.getName());

    private final Controller l1;
    private final List<AiSlot> ai;
    private final ReadModels reads;
    private final Guardrails guardrails;
    private final Governors governors;
    private final ControlModeStore mode;
    private final ProposalStore proposals;
    private final ReceiptLedger ledger;
    private final BlueprintService blueprints;
    private final KvClient kv;
    private final Optional<NodeProvisioner> provisioner;
    private final BooleanSupplier isLeader;
    private final Clock clock;
    private final Duration l1Timeout;
    private final ExecutorService l1Thread;
    private final List<ExecutorService> owned = new ArrayList<>();
    private volatile LastDecision lastDecision;
    /** Runs of identical rejected/observed verdicts by layer and slice; the loop thread only (see repeatNote). */
    private final Map<String, Repeat> repeats = new java.util.HashMap<>();
    /** Set while a snapshot-triggered tick is queued. */
    private final java.util.concurrent.atomic.AtomicBoolean triggered = new java.util.concurrent.atomic.AtomicBoolean();
    /** When the last tick started ({@link System#nanoTime}); the fallback ticks when none came for a while. */
    private volatile long lastTickNanos = System.nanoTime() - FALLBACK_TICK.toNanos();
    private volatile LastDecision l1Last;
    private volatile Failure l1Failure;
    private ScheduledExecutorService ticker;

    /**
     * @param l1          the Layer-1 controller; runs every tick, synchronously
     * @param aiLayers    the AI layers, L2 before L3 (empty: L1 alone); each on its own thread
     * @param kv          where governor states are stored
     * @param provisioner adds and removes workers for node actions; empty = node actions are rejected
     * @param isLeader    whether this node leads now; asked before every tick and every write
     * @param l1Timeout   how long L1 may evaluate before the tick goes on without it
     */
    public ControlLoop(Controller l1, List<AiLayer> aiLayers, ReadModels reads, Guardrails guardrails,
                       Governors governors, ControlModeStore mode, ProposalStore proposals, ReceiptLedger ledger,
                       BlueprintService blueprints, KvClient kv, Optional<NodeProvisioner> provisioner,
                       BooleanSupplier isLeader, Clock clock, Duration l1Timeout) {
        this(l1, aiLayers, reads, guardrails, governors, mode, proposals, ledger, blueprints, kv, provisioner,
                isLeader, clock, l1Timeout, null);
    }

    /** {@code executors}: where each AI layer runs (tests pass one they drive); null = one own thread per layer. */
    ControlLoop(Controller l1, List<AiLayer> aiLayers, ReadModels reads, Guardrails guardrails,
                Governors governors, ControlModeStore mode, ProposalStore proposals, ReceiptLedger ledger,
                BlueprintService blueprints, KvClient kv, Optional<NodeProvisioner> provisioner,
                BooleanSupplier isLeader, Clock clock, Duration l1Timeout, Function<Layer, Executor> executors) {
        if (l1.layer() != Layer.L1) {
            throw new IllegalArgumentException("control loop: the first controller is " + l1.layer() + ", not L1");
        }
        Layer previous = Layer.L1;
        for (AiLayer a : aiLayers) {
            if (a.controller().layer().ordinal() <= previous.ordinal()) {
                throw new IllegalArgumentException("control loop: AI layer " + a.controller().layer()
                        + " after " + previous + "; expected L2 before L3, each once");
            }
            previous = a.controller().layer();
        }
        this.l1 = l1;
        this.reads = reads;
        this.guardrails = guardrails;
        this.governors = governors;
        this.mode = mode;
        this.proposals = proposals;
        this.ledger = ledger;
        this.blueprints = blueprints;
        this.kv = kv;
        this.provisioner = provisioner;
        this.isLeader = isLeader;
        this.clock = clock;
        this.l1Timeout = l1Timeout;
        // One thread for L1: stuck past its timeout it holds the thread, and further evaluations are refused (logged)
        // instead of piling up. Each AI layer the same on its own thread.
        this.l1Thread = singleThread("aether-control-l1");
        owned.add(l1Thread);
        List<AiSlot> slots = new ArrayList<>();
        Layer below = Layer.L1;
        for (AiLayer a : aiLayers) {
            Layer layer = a.controller().layer();
            Executor executor;
            if (executors == null) {
                ExecutorService own = singleThread("aether-control-" + layer.name().toLowerCase(Locale.ROOT));
                owned.add(own);
                executor = own;
            } else {
                executor = executors.apply(layer);
            }
            slots.add(new AiSlot(a, below, executor));
            below = layer;
        }
        this.ai = List.copyOf(slots);
    }

    /** Starts ticking (on each {@link #onSnapshot}, at least every 1.5 s); call on gaining leadership. Idempotent. */
    public synchronized void start() {
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "aether-control-loop"));
            ticker.scheduleWithFixedDelay(this::fallbackTick, 0, FALLBACK_CHECK_MS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A new metrics second is in: tick now, on the loop thread. The leader's aggregator calls this as it publishes
     * each snapshot, so a decision follows its second at once instead of waiting up to a second for a free-running
     * timer (bench/load-step.sh measured that wait at 0.2-0.9 s). Triggers that arrive while one is queued run one
     * tick. Never blocks.
     */
    public void onSnapshot() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = ticker;
        }
        if (t != null && triggered.compareAndSet(false, true)) {
            try {
                t.execute(() -> {
                    triggered.set(false);
                    safeTick();
                });
            } catch (RejectedExecutionException e) {
                triggered.set(false);
            }
        }
    }

    private void fallbackTick() {
        if (System.nanoTime() - lastTickNanos >= FALLBACK_TICK.toNanos()) {
            safeTick();
        }
    }

    /**
     * Stops ticking and cancels the AI evaluations in flight (their answers were for this term); call on losing
     * leadership. Idempotent; a tick in flight checks leadership before writing.
     */
    public synchronized void stop() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
        for (AiSlot slot : ai) {
            slot.pending = null;
            Run run = slot.running;
            if (run != null) {
                run.task.cancel(true);
            }
        }
    }

    public Optional<LastDecision> lastDecision() {
        return Optional.ofNullable(lastDecision);
    }

    /** Every layer's status, L1 first. */
    public List<LayerStatus> layers() {
        List<LayerStatus> out = new ArrayList<>();
        out.add(new LayerStatus(Layer.L1, TICK, l1Timeout, Optional.ofNullable(l1Last),
                Optional.ofNullable(l1Last).map(LastDecision::at), false, Optional.ofNullable(l1Failure)));
        for (AiSlot slot : ai) {
            out.add(new LayerStatus(slot.layer(), slot.spec.every(), slot.spec.timeout(),
                    Optional.ofNullable(slot.last), Optional.ofNullable(slot.lastRun), slot.running != null,
                    Optional.ofNullable(slot.lastFailure)));
        }
        return out;
    }

    public Governors governors() {
        return governors;
    }

    private void safeTick() {
        lastTickNanos = System.nanoTime();
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
        Governors.Update update = governors.update(before);
        ControlContext ctx = withGovernors(before);
        for (String artifact : update.started()) {
            if (!isLeader.getAsBoolean()) {
                return;
            }
            await(kv.put(GOVERNORS + artifact, governorJson(artifact, GovernorState.BOOT, GovernorState.BOOT,
                    "governor started", ctx.now()).getBytes(StandardCharsets.UTF_8)));
        }
        for (String artifact : update.dropped()) {
            if (!isLeader.getAsBoolean()) {
                return;
            }
            await(kv.delete(GOVERNORS + artifact));
        }
        for (Governor.Transition t : update.transitions()) {
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
        repeats.keySet().removeIf(k -> !ctx.slices().containsKey(k.substring(k.indexOf('|') + 1)));
        for (int i = 0; i < ai.size(); i++) {
            if (!collect(i, ctx)) {
                return;
            }
        }
        if (ctx.latest() == null) {
            LastDecision hold = new LastDecision(ctx.now(), Decision.hold(Layer.L1, "no metrics snapshot yet"));
            lastDecision = hold;
            l1Last = hold;
            return;
        }
        Optional<Decision> decision = evaluateL1(ctx);
        if (decision.isPresent()) {
            Decision d = decision.get();
            LastDecision last = new LastDecision(ctx.now(), d);
            lastDecision = last;
            l1Last = last;
            if (!d.isHold() && !act(d, ctx, mode.effective(Layer.L1))) {
                return;
            }
            if (d.escalation().isPresent() && !ai.isEmpty()) {
                ai.get(0).pending = d;
            }
        }
        for (AiSlot slot : ai) {
            launch(slot, ctx);
        }
    }

    private Optional<Decision> evaluateL1(ControlContext ctx) {
        Future<Decision> f;
        try {
            f = l1Thread.submit(() -> l1.evaluate(ctx));
        } catch (RejectedExecutionException e) {
            failL1(ctx.now(), "L1 not run: its thread is still busy with an evaluation that overran");
            return Optional.empty();
        }
        try {
            Decision d = f.get(l1Timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (d == null || d.layer() != Layer.L1) {
                failL1(ctx.now(), "L1 answered " + (d == null ? "no decision" : "a decision of layer " + d.layer())
                        + "; ignored");
                return Optional.empty();
            }
            l1Failure = null;
            return Optional.of(d);
        } catch (TimeoutException e) {
            f.cancel(true);
            failL1(ctx.now(), "L1 overran its " + l1Timeout.toMillis() + " ms timeout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "L1 failed", e.getCause());
            l1Failure = new Failure(ctx.now(), "L1 failed: " + e.getCause());
        }
        return Optional.empty();
    }

    private void failL1(Instant at, String message) {
        LOG.log(Level.WARNING, message);
        l1Failure = new Failure(at, message);
    }

    /**
     * Acts on AI layer {@code i}'s finished evaluation, or cancels it when it overran; false when leadership was
     * lost before a write.
     */
    private boolean collect(int i, ControlContext ctx) throws Exception {
        AiSlot slot = ai.get(i);
        Run run = slot.running;
        if (run == null) {
            return true;
        }
        if (run.task.isCancelled()) {
            slot.running = null;
            return true;
        }
        if (!run.task.isDone()) {
            if (Duration.between(run.started, ctx.now()).compareTo(slot.spec.timeout()) <= 0) {
                return true;
            }
            run.task.cancel(true);
            slot.running = null;
            String message = slot.layer() + " overran its " + slot.spec.timeout().toMillis() + " ms timeout; "
                    + slot.below + " stands";
            LOG.log(Level.WARNING, message);
            return rejectRun(slot, ctx, "overrun", message, Optional.empty());
        }
        slot.running = null;
        Decision d;
        try {
            d = run.task.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LayerFailure failure) {
                LOG.log(Level.WARNING, slot.layer() + " failed: " + failure.getMessage() + "; " + slot.below
                        + " stands");
                return rejectRun(slot, ctx, "layer", failure.getMessage(), failure.model());
            }
            String message = slot.layer() + " failed: " + cause + "; " + slot.below + " stands";
            LOG.log(Level.WARNING, message, cause);
            return rejectRun(slot, ctx, "exception", message, Optional.empty());
        }
        if (d == null || d.layer() != slot.layer()) {
            String message = slot.layer() + " answered " + (d == null ? "no decision" : "a decision of layer "
                    + d.layer()) + "; " + slot.below + " stands";
            LOG.log(Level.WARNING, message);
            return rejectRun(slot, ctx, "invalid", message, Optional.empty());
        }
        slot.lastFailure = null;
        LastDecision last = new LastDecision(ctx.now(), d);
        slot.last = last;
        lastDecision = last;
        if (!d.isHold() && !act(d, ctx, mode.effective(slot.layer()))) {
            return false;
        }
        if (d.escalation().isPresent() && i + 1 < ai.size()) {
            ai.get(i + 1).pending = d;
        }
        return true;
    }

    /**
     * Whether a rejected or observed verdict gets a receipt: the first of a run of identical verdicts (same layer,
     * slice, from, to, outcome and refusing check) does, the repeats within {@link #REPEAT_WINDOW} are only counted
     * (L1 asks again every second while a cooldown or rate limit holds, which would write a receipt a second),
     * and the first after the window does again, saying how many it stands for. Answers null when no receipt is due,
     * else the note to append ({@code ""} for the first).
     */
    private String repeatNote(Decision d, Verdict v, Instant now) {
        String key = repeatKey(d, v);
        String signature = v.change().fromInstances() + ">" + v.change().toInstances() + "|" + v.outcome() + "|"
                + (v.reasons().isEmpty() ? "" : v.reasons().get(v.reasons().size() - 1).split(":", 2)[0]);
        Repeat last = repeats.get(key);
        if (last != null && last.signature().equals(signature) && now.isBefore(last.since().plus(REPEAT_WINDOW))) {
            repeats.put(key, new Repeat(signature, last.since(), last.count() + 1));
            return null;
        }
        repeats.put(key, new Repeat(signature, now, 0));
        return last != null && last.signature().equals(signature) && last.count() > 0
                ? "the same verdict came " + last.count() + " more times since " + last.since() : "";
    }

    private static String repeatKey(Decision d, Verdict v) {
        return d.layer() + "|" + v.change().artifact();
    }

    /** A run of identical verdicts: what they were, since when a receipt was written, how many came since. */
    private record Repeat(String signature, Instant since, int count) {
    }

    /** Leaves the {@code rejected} receipt of an evaluation that produced nothing; false when not leader. */
    private boolean rejectRun(AiSlot slot, ControlContext ctx, String kind, String message,
                              Optional<ModelCall> model) throws Exception {
        slot.lastFailure = new Failure(ctx.now(), message);
        if (!isLeader.getAsBoolean()) {
            return false;
        }
        ObjectNode n = DecisionCodec.JSON.createObjectNode();
        n.put("layer", slot.layer().name());
        n.put("failure", kind);
        model.ifPresent(m -> n.set("model", DecisionCodec.model(m)));
        await(ledger.append(new ReceiptDraft(actorOf(slot.layer()), slot.layer(), digest(ctx), n.toString(), message,
                "rejected")));
        return true;
    }

    /** Starts {@code slot}'s evaluation when it is idle and triggered or due. */
    private void launch(AiSlot slot, ControlContext ctx) {
        if (slot.running != null) {
            return;
        }
        Decision below = slot.pending;
        Duration every = slot.spec.every();
        boolean due = !every.isZero() && (slot.lastStarted == null
                || !ctx.now().isBefore(slot.lastStarted.plus(every)));
        if (below == null && !due) {
            return;
        }
        ControlContext input = below == null ? ctx : ctx.escalatedBy(below);
        Controller controller = slot.spec.controller();
        FutureTask<Decision> task = new FutureTask<>(() -> controller.evaluate(input));
        try {
            slot.executor.execute(task);
        } catch (RejectedExecutionException e) {
            // The trigger stays pending; the thread frees itself once the cancelled evaluation returns.
            String message = slot.layer() + " not run: its thread is still busy with a cancelled evaluation";
            LOG.log(Level.WARNING, message);
            slot.lastFailure = new Failure(ctx.now(), message);
            return;
        }
        slot.pending = null;
        slot.lastStarted = ctx.now();
        slot.lastRun = ctx.now();
        slot.running = new Run(task, ctx.now());
    }

    /** Passes {@code d} through the guardrails and acts on every verdict; false when leadership was lost. */
    private boolean act(Decision d, ControlContext ctx, ControlMode current) throws Exception {
        List<Verdict> verdicts = guardrails.check(d, ctx, current);
        List<NodeVerdict> nodeVerdicts = guardrails.checkNodeActions(d, current, provisioned());
        String digest = digest(ctx);
        String actor = actorOf(d.layer());
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
                repeats.remove(repeatKey(d, v));
                await(apply(d, v, ctx, actor, digest, "applied"));
            } else {
                String repeat = repeatNote(d, v, ctx.now());
                if (repeat != null) {
                    Verdict noted = repeat.isEmpty() ? v : new Verdict(v.change(), v.outcome(),
                            append(v.reasons(), repeat), v.allowedInstances());
                    await(ledger.append(draft(d, noted, actor, digest, v.outcome().receiptVerdict(), null)));
                }
            }
        }
        List<NodeVerdict> actionsToPropose = new ArrayList<>();
        for (NodeVerdict v : nodeVerdicts) {
            if (v.outcome() == Outcome.PROPOSE) {
                actionsToPropose.add(v);
                continue;
            }
            if (!isLeader.getAsBoolean()) {
                LOG.log(Level.INFO, "leadership lost before acting on " + v.action() + "; nothing done");
                return false;
            }
            if (v.outcome() == Outcome.APPLY) {
                awaitNodeAction(applyNode(d, v, actor, digest, "applied", null), v.action());
            } else {
                await(ledger.append(nodeDraft(d, v, v.action().nodeId(), actor, digest,
                        v.outcome().receiptVerdict(), null)));
            }
        }
        if (!toPropose.isEmpty() || !actionsToPropose.isEmpty()) {
            if (!isLeader.getAsBoolean()) {
                return false;
            }
            List<Decision.ScaleChange> changes = toPropose.stream().map(v -> new Decision.ScaleChange(
                    v.change().blueprint(), v.change().artifact(), v.change().fromInstances(), v.allowedInstances(),
                    v.change().rule())).toList();
            Decision proposed = new Decision(d.layer(), changes,
                    actionsToPropose.stream().map(NodeVerdict::action).toList(), d.reasoning(), d.confidence(),
                    d.escalation(), d.model());
            Proposal p = await(proposals.propose(proposed));
            List<String> reasons = new ArrayList<>();
            toPropose.forEach(v -> reasons.addAll(v.reasons()));
            await(ledger.append(new ReceiptDraft(actor, d.layer(), digest, decisionJson(proposed, p.id()),
                    d.reasoning() + joined(reasons), "proposed")));
        }
        return true;
    }

    private Optional<List<String>> provisioned() {
        return provisioner.map(NodeProvisioner::workers);
    }

    /**
     * Asks the provisioner for {@code v}'s action and leaves a receipt: {@code verdict} when it was done (an add
     * names the started node), {@code rejected} with the provisioner's error when not.
     */
    private CompletableFuture<Receipt> applyNode(Decision d, NodeVerdict v, String actor, String digest,
                                                 String verdict, String proposalId) {
        NodeProvisioner p = provisioner.orElseThrow(() -> new IllegalStateException("no node provisioner"));
        Decision.NodeAction a = v.action();
        CompletableFuture<String> done;
        try {
            done = switch (a.kind()) {
                case ADD_WORKER -> p.addWorker(a.reason());
                case REMOVE_WORKER -> p.removeWorker(a.nodeId().orElseThrow(), a.reason())
                        .thenApply(x -> a.nodeId().orElseThrow());
            };
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.handle((nodeId, error) -> {
            if (error == null) {
                guardrails.recordNodeAction();
                return ledger.append(nodeDraft(d, v, Optional.ofNullable(nodeId), actor, digest, verdict,
                        proposalId));
            }
            Throwable cause = unwrap(error);
            LOG.log(Level.WARNING, "node provisioner refused " + a, cause);
            NodeVerdict failed = new NodeVerdict(a, Outcome.REJECT,
                    append(v.reasons(), "node provisioner refused: " + cause.getMessage()));
            return ledger.append(nodeDraft(d, failed, a.nodeId(), actor, digest, "rejected", proposalId));
        }).thenCompose(f -> f);
    }

    /**
     * Waits for a node action like for any write, except that a provisioner slower than the write timeout does not
     * fail the tick: the action goes on and leaves its receipt when done.
     */
    private static void awaitNodeAction(CompletableFuture<Receipt> f, Decision.NodeAction action) throws Exception {
        try {
            await(f);
        } catch (TimeoutException e) {
            LOG.log(Level.INFO, action + " still running after " + WRITE_TIMEOUT.toMillis()
                    + " ms; its receipt follows when it is done");
        }
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
                guardrails.recordApplied(spec.artifact(), spec.instances(), v.allowedInstances(), d.layer());
                return ledger.append(draft(d, v, actor, digest, verdict, null));
            }
            Throwable cause = unwrap(error);
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
     * Adds a worker or removes worker {@code nodeId} on a human's request, through the guardrails (a provisioner is
     * configured, {@code maxWorkers}, the node is one the provisioner started; no cooldown). Always leaves a receipt
     * ({@code applied} or {@code rejected}); a rejected verdict's reasons say why.
     */
    public CompletableFuture<NodeOutcome> humanNodeAction(Decision.NodeAction.Kind kind, Optional<String> nodeId,
                                                          String actor) {
        String digest = digest(withGovernors(context()));
        Decision.NodeAction action = new Decision.NodeAction(kind, nodeId, "requested by " + actor);
        Decision d = new Decision(Layer.HUMAN, List.of(), List.of(action), kind + " requested by " + actor, 1.0,
                Optional.empty());
        NodeVerdict v = guardrails.checkNodeActions(d, ControlMode.APPLY, provisioned()).get(0);
        String who = "human:" + actor;
        if (v.outcome() != Outcome.APPLY) {
            return ledger.append(nodeDraft(d, v, nodeId, who, digest, "rejected", null))
                    .thenApply(r -> new NodeOutcome(v, r));
        }
        return applyNode(d, v, who, digest, "applied", null).thenApply(r -> new NodeOutcome(
                r.verdict().equals("rejected") ? new NodeVerdict(action, Outcome.REJECT, List.of(r.reasoning())) : v,
                r));
    }

    /**
     * Approves pending proposal {@code id}: its changes and node actions go through the guardrails again (as the
     * proposing layer, in apply mode, on today's context) and each leaves an {@code approved} or {@code rejected}
     * receipt. Fails
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
            for (NodeVerdict v : guardrails.checkNodeActions(p.decision(), ControlMode.APPLY, provisioned())) {
                receipts = receipts.thenCompose(list -> (v.outcome() == Outcome.APPLY
                        ? applyNode(p.decision(), v, who, digest, "approved", p.id())
                        : ledger.append(nodeDraft(p.decision(), v, v.action().nodeId(), who, digest, "rejected",
                                p.id())))
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
        String json = governorJson(t.artifact(), t.to(), t.from(), t.why(), t.at());
        await(kv.put(GOVERNORS + t.artifact(), json.getBytes(StandardCharsets.UTF_8)));
        await(ledger.append(new ReceiptDraft("governor:" + t.artifact(), Layer.L1, digest(ctx), json,
                t.artifact() + ": " + t.from().name().toLowerCase(Locale.ROOT) + " -> "
                        + t.to().name().toLowerCase(Locale.ROOT) + " after " + t.why(), "governor")));
    }

    /** {@code governors/{artifact}} = {@code {"v":1,"artifact","state","from","why","since"}}. */
    private static String governorJson(String artifact, GovernorState state, GovernorState from, String why,
                                       Instant since) {
        ObjectNode n = DecisionCodec.JSON.createObjectNode();
        n.put("v", 1);
        n.put("artifact", artifact);
        n.put("state", state.name().toLowerCase(Locale.ROOT));
        n.put("from", from.name().toLowerCase(Locale.ROOT));
        n.put("why", why);
        n.put("since", since.toString());
        return n.toString();
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
        return new ReceiptDraft(actor, d.layer(), digest, n.toString(), d.reasoning() + joined(v.reasons()),
                verdict);
    }

    /** {@code {"kind","nodeId","reason","confidence","proposal","model"}}; {@code nodeId} = the node acted on. */
    private static ReceiptDraft nodeDraft(Decision d, NodeVerdict v, Optional<String> nodeId, String actor,
                                          String digest, String verdict, String proposalId) {
        ObjectNode n = DecisionCodec.JSON.createObjectNode();
        n.put("kind", v.action().kind().name());
        nodeId.ifPresent(id -> n.put("nodeId", id));
        n.put("reason", v.action().reason());
        n.put("confidence", d.confidence());
        if (proposalId != null) {
            n.put("proposal", proposalId);
        }
        d.model().ifPresent(m -> n.set("model", DecisionCodec.model(m)));
        return new ReceiptDraft(actor, d.layer(), digest, n.toString(), d.reasoning() + joined(v.reasons()),
                verdict);
    }

    private static String decisionJson(Decision d, String proposalId) {
        ObjectNode n = DecisionCodec.toJson(d);
        n.put("proposal", proposalId);
        return n.toString();
    }

    private static String joined(List<String> reasons) {
        StringBuilder sb = new StringBuilder();
        for (String r : reasons) {
            sb.append("; ").append(r);
        }
        return sb.toString();
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
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

    /** One thread, no queue: a submit while it is busy is refused, so nothing piles up behind a stuck evaluation. */
    private static ExecutorService singleThread(String name) {
        return new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> daemon(r, name));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** One AI layer's schedule and state; written by the loop thread (and {@link #stop}), read by status calls. */
    private static final class AiSlot {
        final AiLayer spec;
        /** The layer that stands when this one produces nothing. */
        final Layer below;
        final Executor executor;
        /** The latest escalation from below while busy: at most one pending trigger, a later one replaces it. */
        volatile Decision pending;
        volatile Run running;
        volatile Instant lastStarted;
        volatile Instant lastRun;
        volatile LastDecision last;
        volatile Failure lastFailure;

        AiSlot(AiLayer spec, Layer below, Executor executor) {
            this.spec = spec;
            this.below = below;
            this.executor = executor;
        }

        Layer layer() {
            return spec.controller().layer();
        }
    }

    /** One evaluation in flight. */
    private record Run(FutureTask<Decision> task, Instant started) {
    }

    @Override
    public void close() {
        stop();
        owned.forEach(ExecutorService::shutdownNow);
    }
}

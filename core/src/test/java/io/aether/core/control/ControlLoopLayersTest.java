package io.aether.core.control;

import static io.aether.core.control.ControlFixtures.CART;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.client.KvClient;
import io.aether.core.cluster.ClusterEventBus;
import io.aether.core.control.ControlContext.SliceSpec;
import io.aether.core.control.Decision.NodeAction;
import io.aether.core.deployment.Blueprint;
import io.aether.core.deployment.BlueprintCodec;
import io.aether.core.deployment.BlueprintKeys;
import io.aether.core.deployment.BlueprintService;
import io.aether.core.deployment.Blueprints;
import io.aether.core.metrics.ClusterMetricsSnapshot;
import io.aether.core.metrics.SliceMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain's layers on a real single-replica KV and the real blueprint service: L1 every tick, L2 and L3
 * asynchronously (on executors the test drives, or on their own threads), per-layer modes, node actions. Time is a
 * {@link ControlFixtures.ManualClock}; ticks are driven by the test.
 */
class ControlLoopLayersTest {

    private static final ModelCall CALL = new ModelCall("ollama:qwen2.5:0.5b", "l2-v1", 812, 64, 950);

    @TempDir
    Path dir;
    private RealKv realKv;
    private KvClient kv;
    private ClusterEventBus bus;
    private Blueprints blueprints;
    private BlueprintService service;
    private ControlModeStore mode;
    private ProposalStore proposals;
    private KvReceiptLedger ledger;
    private final ControlFixtures.ManualClock clock = new ControlFixtures.ManualClock(Instant.now());
    private final FakeLayer l1 = new FakeLayer(Layer.L1);
    private final FakeLayer l2 = new FakeLayer(Layer.L2);
    private final FakeLayer l3 = new FakeLayer(Layer.L3);
    private final Map<Layer, ManualExecutor> executors = new EnumMap<>(Layer.class);
    private final List<ControlLoop> loops = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        realKv = new RealKv(dir);
        kv = realKv.client("leader");
        bus = new ClusterEventBus();
        blueprints = Blueprints.start(kv, bus).get(10, TimeUnit.SECONDS);
        service = new BlueprintService(kv, blueprints);
        String json = "{\"v\":1,\"slices\":[{\"artifact\":\"" + CART + "\",\"instances\":2,\"min\":1,\"max\":10,"
                + "\"routes\":[{\"method\":\"POST\",\"path\":\"/cart\",\"entry\":\"add\"}]}]}";
        service.apply("acme", "shop", json.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
        ledger = new KvReceiptLedger(kv, clock);
        mode = ControlModeStore.start(kv, clock, ControlMode.APPLY, ControlLoopOnRealKvTest.LAYER_DEFAULTS, ledger)
                .get(10, TimeUnit.SECONDS);
        proposals = new ProposalStore(kv, clock);
        executors.put(Layer.L2, new ManualExecutor());
        executors.put(Layer.L3, new ManualExecutor());
        l1.answer.set(ctx -> Decision.hold(Layer.L1, "within SLO"));
        l2.answer.set(ctx -> Decision.hold(Layer.L2, "nothing to add"));
        l3.answer.set(ctx -> Decision.hold(Layer.L3, "nothing to add"));
    }

    @AfterEach
    void stop() {
        loops.forEach(ControlLoop::close);
        mode.close();
        blueprints.close();
        bus.close();
        realKv.close();
    }

    /** No cooldowns and a generous rate, so L1 may apply every tick; node limits: 2 workers, 60 s. */
    private static GuardrailPolicy policy() {
        return new GuardrailPolicy(2, 0.5, 60, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(5), Map.of(), 0.7)
                .withNodeLimits(2, Duration.ofSeconds(60));
    }

    private ControlLoop loop(List<ControlLoop.AiLayer> ai, Optional<NodeProvisioner> provisioner,
                             Function<Layer, Executor> executorOf) {
        ControlLoop.ReadModels reads = new ControlLoop.ReadModels(this::snapshot, () -> null, List::of,
                this::slicesFromKv, List::of);
        ControlLoop loop = new ControlLoop(l1, ai, reads, new Guardrails(policy(), clock), new Governors(), mode,
                proposals, ledger, service, kv, provisioner, () -> true, clock, Duration.ofSeconds(2), executorOf);
        loops.add(loop);
        return loop;
    }

    /** L2 every 5 s, L3 only on escalation, on the executors the test drives. */
    private ControlLoop driven(Duration l2Every) {
        return loop(List.of(new ControlLoop.AiLayer(l2, l2Every, Duration.ofSeconds(20)),
                new ControlLoop.AiLayer(l3, Duration.ZERO, Duration.ofSeconds(60))), Optional.empty(), executors::get);
    }

    private ClusterMetricsSnapshot snapshot() {
        return new ClusterMetricsSnapshot(clock.instant().getEpochSecond(), Map.of(), Map.of(CART,
                new SliceMetrics(CART, 100, 0, 20, 50, 1, instances(), 0.5)), java.util.Set.of());
    }

    private Map<String, SliceSpec> slicesFromKv() {
        Blueprint b = blueprint();
        Map<String, SliceSpec> out = new HashMap<>();
        for (Blueprint.Slice s : b.slices()) {
            out.put(s.artifact().toString(), new SliceSpec(b.id(), b.tenant(), s.artifact().toString(), s.instances(),
                    s.min(), s.max(), s.slo().p99Ms(), s.slo().errorRate()));
        }
        return out;
    }

    private Blueprint blueprint() {
        try {
            String key = BlueprintKeys.key("acme", "shop");
            return BlueprintCodec.decode(key, kv.get(key).get(10, TimeUnit.SECONDS).orElseThrow().value());
        } catch (Exception e) {
            throw new AssertionError("reading blueprint acme/shop failed", e);
        }
    }

    private int instances() {
        return blueprint().slices().get(0).instances();
    }

    /** Every receipt but the governors' (they follow the fake metrics), after checking that the chain verifies. */
    private List<Receipt> receipts() throws Exception {
        List<Receipt> all = ledger.list(1, 1000).get(10, TimeUnit.SECONDS);
        assertEquals(Optional.empty(), ReceiptVerifier.verify(all));
        return all.stream().filter(r -> !r.verdict().equals("governor")).toList();
    }

    private List<String> verdicts() throws Exception {
        return receipts().stream().map(r -> r.layer() + " " + r.verdict()).toList();
    }

    private static Decision scaleTo(Layer layer, int from, int to) {
        return new Decision(layer, List.of(new Decision.ScaleChange("acme/shop", CART, from, to, "test rule")),
                List.of(), layer + " scales " + from + " -> " + to, 0.9, Optional.empty());
    }

    private static Decision escalating(Layer layer, String why) {
        return new Decision(layer, List.of(), List.of(), why, 1.0,
                Optional.of(new Decision.Escalation(Decision.Escalation.Reason.UNCLASSIFIED_PATTERN, why)));
    }

    private static ControlLoop.LayerStatus status(ControlLoop loop, Layer layer) {
        return loop.layers().stream().filter(s -> s.layer() == layer).findFirst().orElseThrow();
    }

    @Test
    void l1KeepsApplyingEveryTickWhileASlowL2IsInFlight() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        l2.answer.set(ctx -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Decision.hold(Layer.L2, "looked late");
        });
        ControlLoop loop = loop(List.of(new ControlLoop.AiLayer(l2, Duration.ofSeconds(5), Duration.ofMinutes(10))),
                Optional.empty(), null);
        for (int n = 2; n < 6; n++) {
            int from = n;
            l1.answer.set(ctx -> scaleTo(Layer.L1, from, from + 1));
            assertTimeoutPreemptively(Duration.ofSeconds(5), loop::tick, "a tick must not wait on L2");
            assertEquals(from + 1, instances(), "L1 applied in tick " + (from - 1));
            assertTrue(status(loop, Layer.L2).inFlight(), "L2 is still thinking");
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals(List.of("L1 applied", "L1 applied", "L1 applied", "L1 applied"), verdicts());

        l1.answer.set(ctx -> Decision.hold(Layer.L1, "within SLO"));
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (status(loop, Layer.L2).lastDecision().isEmpty() && System.nanoTime() < deadline) {
            loop.tick();
        }
        assertEquals("looked late", status(loop, Layer.L2).lastDecision().orElseThrow().decision().reasoning());
        assertFalse(status(loop, Layer.L2).inFlight());
    }

    @Test
    void l1EscalationTriggersL2WithTheEscalatingDecisionAndL2EscalationTriggersL3() throws Exception {
        ControlLoop loop = driven(Duration.ZERO);
        Decision fromL1 = escalating(Layer.L1, "load shape unlike any rule");
        Decision fromL2 = escalating(Layer.L2, "not sure either");
        l1.answer.set(ctx -> fromL1);
        l2.answer.set(ctx -> fromL2);
        loop.tick();
        assertEquals(1, executors.get(Layer.L2).size(), "L1 escalated: L2 starts");
        assertEquals(0, executors.get(Layer.L3).size(), "L3 waits for L2");
        loop.tick();
        assertEquals(1, executors.get(Layer.L2).size(), "one evaluation in flight; the new escalation waits");

        executors.get(Layer.L2).runAll();
        assertSame(fromL1, l2.seen.get(0).below().orElseThrow());
        loop.tick();
        assertEquals(1, executors.get(Layer.L3).size(), "L2 escalated: L3 starts");
        assertEquals(1, executors.get(Layer.L2).size(), "the pending L1 escalation starts L2 again, once");
        executors.get(Layer.L3).runAll();
        assertSame(fromL2, l3.seen.get(0).below().orElseThrow());
        assertEquals(List.of(), verdicts(), "holds leave no receipt");
    }

    @Test
    void anL2ThatIsDueRunsOnItsScheduleWithoutEscalation() throws Exception {
        ControlLoop loop = driven(Duration.ofSeconds(5));
        loop.tick();
        executors.get(Layer.L2).runAll();
        assertEquals(Optional.empty(), l2.seen.get(0).below(), "a scheduled run has no decision below");
        loop.tick();
        clock.advance(Duration.ofSeconds(4));
        loop.tick();
        assertEquals(0, executors.get(Layer.L2).size(), "not due for 5 s");
        clock.advance(Duration.ofSeconds(1));
        loop.tick();
        assertEquals(1, executors.get(Layer.L2).size(), "due again");
    }

    @Test
    void anL2OverrunningItsTimeoutIsCancelledAndLeavesARejectedReceipt() throws Exception {
        ControlLoop loop = driven(Duration.ofSeconds(60));
        loop.tick();
        clock.advance(Duration.ofSeconds(20));
        loop.tick();
        assertEquals(List.of(), verdicts(), "at the timeout, not past it");
        clock.advance(Duration.ofSeconds(1));
        loop.tick();
        Receipt r = receipts().get(0);
        assertEquals("rejected", r.verdict());
        assertEquals("controller:L2", r.actor());
        assertEquals("L2 overran its 20000 ms timeout; L1 stands", r.reasoning());
        assertEquals("L2 overran its 20000 ms timeout; L1 stands",
                status(loop, Layer.L2).lastFailure().orElseThrow().message());
        executors.get(Layer.L2).runAll();
        assertTrue(l2.seen.isEmpty(), "the cancelled evaluation never ran");
        assertEquals(2, instances());
    }

    @Test
    void aLayerFailureLeavesARejectedReceiptWithItsMessageAndModelCall() throws Exception {
        ControlLoop loop = driven(Duration.ofSeconds(5));
        l2.answer.set(ctx -> {
            throw new LayerFailure(Layer.L2, "answer.actions[1].targetInstances: -3 is negative", Optional.of(CALL));
        });
        loop.tick();
        executors.get(Layer.L2).runAll();
        loop.tick();
        Receipt r = receipts().get(0);
        assertEquals("rejected", r.verdict());
        assertEquals("answer.actions[1].targetInstances: -3 is negative", r.reasoning());
        assertTrue(r.decision().contains("\"model\":{\"model\":\"ollama:qwen2.5:0.5b\",\"promptVersion\":\"l2-v1\","
                + "\"inputTokens\":812,\"outputTokens\":64,\"latencyMs\":950}"), r.decision());
    }

    @Test
    void anUnexpectedExceptionLeavesARejectedReceiptNamingIt() throws Exception {
        ControlLoop loop = driven(Duration.ofSeconds(5));
        l2.answer.set(ctx -> {
            throw new IllegalStateException("boom");
        });
        loop.tick();
        executors.get(Layer.L2).runAll();
        loop.tick();
        Receipt r = receipts().get(0);
        assertEquals("rejected", r.verdict());
        assertEquals("L2 failed: java.lang.IllegalStateException: boom; L1 stands", r.reasoning());
    }

    @Test
    void l2InProposeStoresAProposalWhileL1Applies() throws Exception {
        ControlLoop loop = driven(Duration.ofSeconds(5));
        l1.answer.set(ctx -> scaleTo(Layer.L1, 2, 3));
        l2.answer.set(ctx -> scaleTo(Layer.L2, 3, 5));
        loop.tick();
        executors.get(Layer.L2).runAll();
        l1.answer.set(ctx -> Decision.hold(Layer.L1, "within SLO"));
        loop.tick();
        assertEquals(3, instances(), "L1 applied, L2 only proposed");
        assertEquals(List.of("L1 applied", "L2 proposed"), verdicts());
        Proposal p = proposals.list().get(10, TimeUnit.SECONDS).get(0);
        assertEquals(Layer.L2, p.layer());
        assertEquals(5, p.decision().changes().get(0).toInstances());
    }

    @Test
    void globalObserveMakesEveryLayerObserveAndEveryModeChangeLeavesAReceipt() throws Exception {
        ControlLoop loop = driven(Duration.ofSeconds(5));
        mode.set(Layer.L2, ControlMode.APPLY, "human:ops").get(10, TimeUnit.SECONDS);
        mode.set(ControlMode.OBSERVE, "human:ops").get(10, TimeUnit.SECONDS);
        assertEquals(ControlMode.OBSERVE, mode.effective(Layer.L1));
        assertEquals(ControlMode.OBSERVE, mode.effective(Layer.L2));
        l1.answer.set(ctx -> scaleTo(Layer.L1, 2, 3));
        l2.answer.set(ctx -> scaleTo(Layer.L2, 2, 4));
        loop.tick();
        executors.get(Layer.L2).runAll();
        l1.answer.set(ctx -> Decision.hold(Layer.L1, "within SLO"));
        loop.tick();
        assertEquals(2, instances());
        List<Receipt> receipts = receipts();
        assertEquals(List.of("HUMAN mode", "HUMAN mode", "L1 observed", "L2 observed"), verdicts());
        assertEquals("mode l2: propose -> apply", receipts.get(0).reasoning());
        assertEquals("human:ops", receipts.get(0).actor());
        assertEquals("mode: apply -> observe", receipts.get(1).reasoning());
    }

    @Test
    void l2AppliesWhenItsModeIsApplyAndAnOutOfBoundsTargetIsRejectedNotClamped() throws Exception {
        ControlLoop loop = driven(Duration.ofSeconds(5));
        mode.set(Layer.L2, ControlMode.APPLY, "human:ops").get(10, TimeUnit.SECONDS);
        l2.answer.set(ctx -> scaleTo(Layer.L2, 2, 0));
        loop.tick();
        executors.get(Layer.L2).runAll();
        loop.tick();
        assertEquals(2, instances());
        Receipt rejected = receipts().get(1);
        assertEquals("rejected", rejected.verdict());
        assertTrue(rejected.reasoning().endsWith("blueprint 'acme/shop': slice 'org.acme:cart:1.0' instances 0 is "
                + "below min 1"), rejected.reasoning());

        l2.answer.set(ctx -> scaleTo(Layer.L2, 2, 4));
        clock.advance(Duration.ofSeconds(5));
        loop.tick();
        executors.get(Layer.L2).runAll();
        loop.tick();
        assertEquals(4, instances());
        assertEquals(List.of("HUMAN mode", "L2 rejected", "L2 applied"), verdicts());
    }

    @Test
    void nodeActionsGoThroughTheProvisionerWithinMaxWorkers() throws Exception {
        FakeProvisioner provisioner = new FakeProvisioner();
        ControlLoop loop = loop(List.of(), Optional.of(provisioner), executors::get);
        l1.answer.set(ctx -> nodeDecision(NodeAction.Kind.ADD_WORKER, null));
        loop.tick();
        assertEquals(List.of("w-1"), provisioner.workers());
        Receipt added = receipts().get(0);
        assertEquals("applied", added.verdict());
        assertTrue(added.decision().contains("\"kind\":\"ADD_WORKER\",\"nodeId\":\"w-1\""), added.decision());

        loop.tick();
        assertTrue(receipts().get(1).reasoning().contains("cooldown: last node action was 0 ms ago"),
                receipts().get(1).reasoning());
        clock.advance(Duration.ofSeconds(60));
        loop.tick();
        clock.advance(Duration.ofSeconds(60));
        loop.tick();
        assertEquals(List.of("w-1", "w-2"), provisioner.workers());
        Receipt beyond = receipts().get(3);
        assertEquals("rejected", beyond.verdict());
        assertTrue(beyond.reasoning().endsWith("workers: the provisioner runs 2 workers, max 2"),
                beyond.reasoning());

        l1.answer.set(ctx -> nodeDecision(NodeAction.Kind.REMOVE_WORKER, "core-1"));
        clock.advance(Duration.ofSeconds(60));
        loop.tick();
        assertTrue(receipts().get(4).reasoning().endsWith("node 'core-1' was not started by the node provisioner "
                + "(it runs [w-1, w-2])"), receipts().get(4).reasoning());

        ControlLoop.NodeOutcome removed = loop.humanNodeAction(NodeAction.Kind.REMOVE_WORKER, Optional.of("w-1"),
                "ops").get(10, TimeUnit.SECONDS);
        assertEquals("applied", removed.receipt().verdict());
        assertEquals("human:ops", removed.receipt().actor());
        assertEquals(List.of("w-2"), provisioner.workers());
    }

    @Test
    void nodeActionsWithoutAProvisionerAreRejected() throws Exception {
        ControlLoop loop = loop(List.of(), Optional.empty(), executors::get);
        l1.answer.set(ctx -> nodeDecision(NodeAction.Kind.ADD_WORKER, null));
        loop.tick();
        assertTrue(receipts().get(0).reasoning().endsWith("no node provisioner configured"),
                receipts().get(0).reasoning());
        ControlLoop.NodeOutcome human = loop.humanNodeAction(NodeAction.Kind.ADD_WORKER, Optional.empty(), "ops")
                .get(10, TimeUnit.SECONDS);
        assertEquals(Verdict.Outcome.REJECT, human.verdict().outcome());
        assertEquals("rejected", human.receipt().verdict());
        assertEquals(List.of("L1 rejected", "HUMAN rejected"), verdicts());
    }

    private static Decision nodeDecision(NodeAction.Kind kind, String nodeId) {
        return new Decision(Layer.L1, List.of(), List.of(new NodeAction(kind, Optional.ofNullable(nodeId),
                "queue grows on every node")), "cluster full", 1.0, Optional.empty());
    }

    /** A controller whose answer the test sets; remembers every context it saw. */
    private static final class FakeLayer implements Controller {
        final Layer layer;
        final AtomicReference<Function<ControlContext, Decision>> answer = new AtomicReference<>();
        final List<ControlContext> seen = new CopyOnWriteArrayList<>();

        FakeLayer(Layer layer) {
            this.layer = layer;
        }

        @Override
        public Layer layer() {
            return layer;
        }

        @Override
        public Decision evaluate(ControlContext context) {
            seen.add(context);
            return answer.get().apply(context);
        }
    }

    /** Holds what the loop submits until the test runs it. */
    private static final class ManualExecutor implements Executor {
        private final Deque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
        }

        synchronized int size() {
            return tasks.size();
        }

        void runAll() {
            Runnable next;
            while ((next = poll()) != null) {
                next.run();
            }
        }

        private synchronized Runnable poll() {
            return tasks.poll();
        }
    }

    /** Starts "workers" w-1, w-2, ... in memory. */
    private static final class FakeProvisioner implements NodeProvisioner {
        private final List<String> workers = new CopyOnWriteArrayList<>();
        private int started;

        @Override
        public synchronized CompletableFuture<String> addWorker(String reason) {
            String id = "w-" + (++started);
            workers.add(id);
            return CompletableFuture.completedFuture(id);
        }

        @Override
        public CompletableFuture<Void> removeWorker(String nodeId, String reason) {
            if (!workers.remove(nodeId)) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(nodeId + " is not mine"));
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public List<String> workers() {
            return List.copyOf(workers);
        }
    }
}

package io.aether.core.control;

import static io.aether.core.control.ControlFixtures.CART;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.client.KvClient;
import io.aether.core.cluster.ClusterEventBus;
import io.aether.core.control.ControlContext.SliceSpec;
import io.aether.core.deployment.Blueprint;
import io.aether.core.deployment.BlueprintCodec;
import io.aether.core.deployment.BlueprintKeys;
import io.aether.core.deployment.BlueprintService;
import io.aether.core.deployment.Blueprints;
import io.aether.core.metrics.ClusterMetricsSnapshot;
import io.aether.core.metrics.SliceMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control loop on a real single-replica KV with the real blueprint service, a fake L1 controller whose next
 * decision the test sets, and fake read models. Ticks are driven by the test.
 */
class ControlLoopOnRealKvTest {

    static final Map<Layer, ControlMode> LAYER_DEFAULTS = Map.of(Layer.L1, ControlMode.APPLY, Layer.L2,
            ControlMode.PROPOSE, Layer.L3, ControlMode.PROPOSE);

    @TempDir
    Path dir;
    private RealKv realKv;
    private KvClient kv;
    private ClusterEventBus bus;
    private Blueprints blueprints;
    private ControlModeStore mode;
    private ProposalStore proposals;
    private KvReceiptLedger ledger;
    private ControlLoop loop;
    private final AtomicReference<Decision> next = new AtomicReference<>();
    private final AtomicReference<Set<String>> staleNodes = new AtomicReference<>(Set.of());
    private final AtomicBoolean leader = new AtomicBoolean(true);
    /** Runs inside evaluate: lets a test change the world between decide and apply. */
    private final AtomicReference<Runnable> duringEvaluate = new AtomicReference<>(() -> { });

    @BeforeEach
    void start() throws Exception {
        realKv = new RealKv(dir);
        kv = realKv.client("leader");
        bus = new ClusterEventBus();
        blueprints = Blueprints.start(kv, bus).get(10, TimeUnit.SECONDS);
        BlueprintService service = new BlueprintService(kv, blueprints);
        String json = "{\"v\":1,\"slices\":[{\"artifact\":\"" + CART + "\",\"instances\":2,\"min\":1,\"max\":10,"
                + "\"routes\":[{\"method\":\"POST\",\"path\":\"/cart\",\"entry\":\"add\"}]}]}";
        service.apply("acme", "shop", json.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
        Clock clock = Clock.systemUTC();
        ledger = new KvReceiptLedger(kv, clock);
        mode = ControlModeStore.start(kv, clock, ControlMode.APPLY, LAYER_DEFAULTS, ledger).get(10, TimeUnit.SECONDS);
        proposals = new ProposalStore(kv, clock);
        Controller l1 = new Controller() {
            @Override
            public Layer layer() {
                return Layer.L1;
            }

            @Override
            public Decision evaluate(ControlContext context) {
                duringEvaluate.get().run();
                return next.get();
            }
        };
        ControlLoop.ReadModels reads = new ControlLoop.ReadModels(this::snapshot, () -> null, List::of,
                this::slicesFromKv, List::of);
        loop = new ControlLoop(l1, List.of(), reads, new Guardrails(GuardrailPolicy.defaults(), clock), new Governors(),
                mode, proposals, ledger, service, kv, Optional.empty(), leader::get, clock, Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        loop.close();
        mode.close();
        blueprints.close();
        bus.close();
        realKv.close();
    }

    private ClusterMetricsSnapshot snapshot() {
        long now = Instant.now().getEpochSecond();
        return new ClusterMetricsSnapshot(now, Map.of(), Map.of(CART,
                new SliceMetrics(CART, 100, 0, 20, 50, 1, instances(), 0.5)), staleNodes.get());
    }

    /** The slices as the app builds them from the blueprints, read from the KV so every tick sees the last write. */
    private Map<String, SliceSpec> slicesFromKv() {
        if (blueprints.all().isEmpty()) {
            return Map.of();
        }
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
        return blueprints.all().isEmpty() ? 0 : blueprint().slices().get(0).instances();
    }

    private List<Receipt> receipts() throws Exception {
        List<Receipt> all = ledger.list(1, 1000).get(10, TimeUnit.SECONDS);
        assertEquals(Optional.empty(), ReceiptVerifier.verify(all));
        return all;
    }

    /** The verdicts of decision receipts, without mode changes and governor transitions. */
    private List<String> decisionVerdicts() throws Exception {
        return receipts().stream().map(Receipt::verdict).filter(v -> !v.equals("mode") && !v.equals("governor"))
                .toList();
    }

    private static Decision scaleTo(int from, int to) {
        return new Decision(Layer.L1, List.of(new Decision.ScaleChange("acme/shop", CART, from, to,
                "latency p99 412 ms > SLO 200 ms: +" + (to - from))), List.of(), "load rose", 0.9, Optional.empty());
    }

    @Test
    void aNewGovernorOverwritesAStaleKeyAndADroppedOneDeletesIt() throws Exception {
        String key = "governors/" + CART;
        // Left by an earlier governor of the same artifact (or the previous leader): it would keep refusing calls.
        kv.put(key, ("{\"v\":1,\"artifact\":\"" + CART + "\",\"state\":\"refusing\",\"from\":\"degraded\","
                + "\"why\":\"old\",\"since\":\"2026-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8))
                .get(10, TimeUnit.SECONDS);
        next.set(Decision.hold(Layer.L1, "steady"));
        loop.tick();
        String stored = new String(kv.get(key).get(10, TimeUnit.SECONDS).orElseThrow().value(), StandardCharsets.UTF_8);
        assertTrue(stored.contains("\"state\":\"boot\""), stored);

        new BlueprintService(kv, blueprints).delete("acme", "shop").get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!blueprints.all().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling interval of a deadline-bounded wait for the blueprint mirror
        }
        loop.tick();
        assertEquals(Optional.empty(), kv.get(key).get(10, TimeUnit.SECONDS), "the dropped governor's key is gone");
    }

    @Test
    void applyModeScalesTheBlueprintAndLeavesAnAppliedReceipt() throws Exception {
        next.set(scaleTo(2, 4));
        loop.tick();
        assertEquals(4, instances());
        List<Receipt> receipts = receipts();
        assertEquals(1, receipts.size());
        Receipt r = receipts.get(0);
        assertEquals("applied", r.verdict());
        assertEquals("controller:L1", r.actor());
        assertTrue(r.decision().contains("\"allowedInstances\":4"), r.decision());
        assertTrue(r.reasoning().startsWith("load rose"), r.reasoning());
    }

    @Test
    void observeModeLeavesTheBlueprintAndLeavesAnObservedReceipt() throws Exception {
        mode.set(ControlMode.OBSERVE, "human:ops").get(10, TimeUnit.SECONDS);
        next.set(scaleTo(2, 4));
        loop.tick();
        assertEquals(2, instances());
        List<Receipt> receipts = receipts();
        assertEquals(List.of("mode", "observed"), receipts.stream().map(Receipt::verdict).toList());
        assertEquals("mode: apply -> observe", receipts.get(0).reasoning());
        assertEquals("human:ops", receipts.get(0).actor());
    }

    @Test
    void aVerdictRepeatedEverySecondLeavesOneReceiptUntilItChanges() throws Exception {
        mode.set(ControlMode.OBSERVE, "human:ops").get(10, TimeUnit.SECONDS);
        next.set(scaleTo(2, 4));
        for (int i = 0; i < 5; i++) {
            loop.tick();
        }
        assertEquals(List.of("observed"), decisionVerdicts(),
                "L1 asking the same every second is one decision, not five receipts");
        next.set(scaleTo(2, 3));
        loop.tick();
        assertEquals(List.of("observed", "observed"), decisionVerdicts(), "a different decision is receipted");
    }

    @Test
    void proposeModeStoresAProposalAndApprovalAppliesIt() throws Exception {
        mode.set(ControlMode.PROPOSE, "human:ops").get(10, TimeUnit.SECONDS);
        next.set(scaleTo(2, 4));
        loop.tick();
        assertEquals(2, instances());
        List<Proposal> stored = proposals.list().get(10, TimeUnit.SECONDS);
        assertEquals(1, stored.size());
        Proposal p = stored.get(0);
        assertEquals(Proposal.Status.PENDING, p.status());
        assertEquals(4, p.decision().changes().get(0).toInstances());

        List<Receipt> approved = loop.approve(p.id(), "ops").get(10, TimeUnit.SECONDS);
        assertEquals(List.of("approved"), approved.stream().map(Receipt::verdict).toList());
        assertEquals("human:ops", approved.get(0).actor());
        assertEquals(4, instances());
        assertEquals(Proposal.Status.APPROVED, proposals.get(p.id()).get(10, TimeUnit.SECONDS).orElseThrow().status());
        assertEquals(List.of("mode", "proposed", "approved"), receipts().stream().map(Receipt::verdict).toList());
        ExecutionException twice = assertThrows(ExecutionException.class,
                () -> loop.approve(p.id(), "ops").get(10, TimeUnit.SECONDS));
        assertEquals("proposal '" + p.id() + "' is approved, not pending", twice.getCause().getMessage());
    }

    @Test
    void rejectingAProposalLeavesARejectedReceiptAndTheBlueprint() throws Exception {
        mode.set(ControlMode.PROPOSE, "human:ops").get(10, TimeUnit.SECONDS);
        next.set(scaleTo(2, 4));
        loop.tick();
        Proposal p = proposals.list().get(10, TimeUnit.SECONDS).get(0);
        Receipt r = loop.reject(p.id(), "ops", "not during the sale").get(10, TimeUnit.SECONDS);
        assertEquals("rejected", r.verdict());
        assertTrue(r.reasoning().endsWith("not during the sale"), r.reasoning());
        assertEquals(2, instances());
    }

    @Test
    void staleMetricsMakeAScaleDownRejected() throws Exception {
        staleNodes.set(Set.of("n2"));
        next.set(scaleTo(2, 1));
        loop.tick();
        assertEquals(2, instances());
        Receipt r = receipts().get(0);
        assertEquals("rejected", r.verdict());
        assertTrue(r.reasoning().contains("stale metrics: nodes [n2] stopped reporting; not scaling down"),
                r.reasoning());
    }

    @Test
    void losingLeadershipBetweenDecideAndApplyAppliesNothing() throws Exception {
        next.set(scaleTo(2, 4));
        duringEvaluate.set(() -> leader.set(false));
        loop.tick();
        assertEquals(2, instances());
        assertEquals(List.of(), receipts());
        assertEquals(List.of(), proposals.list().get(10, TimeUnit.SECONDS));
    }

    @Test
    void aHoldLeavesNoReceiptButIsTheLastDecision() throws Exception {
        next.set(Decision.hold(Layer.L1, "p99 50 ms within SLO 200 ms"));
        loop.tick();
        assertEquals(List.of(), receipts());
        assertEquals("p99 50 ms within SLO 200 ms", loop.lastDecision().orElseThrow().decision().reasoning());
    }

    @Test
    void humanScaleOutsideBoundsIsRejectedNamingTheBoundAndLeavesAReceipt() throws Exception {
        ControlLoop.HumanOutcome out = loop.humanScale("acme", "shop", "org.acme:cart", 11, "ops")
                .get(10, TimeUnit.SECONDS);
        assertEquals(Verdict.Outcome.REJECT, out.verdict().outcome());
        assertEquals(List.of("blueprint 'acme/shop': slice 'org.acme:cart:1.0' instances 11 is above max 10"),
                out.verdict().reasons());
        assertEquals("rejected", out.receipt().verdict());
        assertEquals("human:ops", out.receipt().actor());
        assertEquals(2, instances());

        ControlLoop.HumanOutcome ok = loop.humanScale("acme", "shop", "org.acme:cart", 7, "ops")
                .get(10, TimeUnit.SECONDS);
        assertEquals("applied", ok.receipt().verdict());
        assertEquals(7, instances());
        assertEquals(List.of("rejected", "applied"), receipts().stream().map(Receipt::verdict).toList());
    }

    @Test
    void theModeIsMirroredFromTheKv() throws Exception {
        ControlModeStore other = ControlModeStore.start(realKv.client("other"), Clock.systemUTC(), ControlMode.OBSERVE,
                LAYER_DEFAULTS, ledger).get(10, TimeUnit.SECONDS);
        try {
            assertEquals(ControlMode.OBSERVE, other.mode(), "nothing written yet: the default");
            assertEquals(ControlMode.PROPOSE, other.mode(Layer.L2), "nothing written yet: the layer's default");
            mode.set(ControlMode.PROPOSE, "human:ops").get(10, TimeUnit.SECONDS);
            mode.set(Layer.L2, ControlMode.APPLY, "human:ops").get(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((other.mode() != ControlMode.PROPOSE || other.mode(Layer.L2) != ControlMode.APPLY)
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(ControlMode.PROPOSE, other.mode());
            assertEquals(ControlMode.APPLY, other.mode(Layer.L2));
            assertEquals(ControlMode.PROPOSE, other.effective(Layer.L2), "the global mode restricts the layer's");
            assertFalse(new String(kv.get(ControlModeStore.KEY).get(10, TimeUnit.SECONDS).orElseThrow().value(),
                    StandardCharsets.UTF_8).isEmpty());
        } finally {
            other.close();
        }
    }
}

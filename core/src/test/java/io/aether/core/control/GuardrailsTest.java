package io.aether.core.control;

import static io.aether.core.control.ControlFixtures.CART;
import static io.aether.core.control.ControlFixtures.WEB;
import static io.aether.core.control.ControlFixtures.context;
import static io.aether.core.control.ControlFixtures.scale;
import static io.aether.core.control.ControlFixtures.snapshot;
import static io.aether.core.control.ControlFixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.control.Verdict.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GuardrailsTest {

    private final ControlFixtures.ManualClock clock = new ControlFixtures.ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Guardrails guardrails = new Guardrails(GuardrailPolicy.defaults(), clock);

    private ControlContext fresh(ControlContext.SliceSpec... specs) {
        return context(clock.instant(), snapshot(clock.instant(), Set.of()), specs);
    }

    private Verdict one(Decision d, ControlContext ctx, ControlMode mode) {
        List<Verdict> verdicts = guardrails.check(d, ctx, mode);
        assertEquals(1, verdicts.size());
        return verdicts.get(0);
    }

    @Test
    void humanRequestOutsideBoundsIsRejectedNamingTheBound() {
        Verdict v = one(scale(Layer.HUMAN, CART, 2, 11), fresh(spec(CART, 2, 1, 10)), ControlMode.APPLY);
        assertEquals(Outcome.REJECT, v.outcome());
        assertEquals("blueprint 'acme/shop': slice 'org.acme:cart:1.0' instances 11 is above max 10", v.reasons().get(0));
        Verdict low = one(scale(Layer.HUMAN, CART, 2, 0), fresh(spec(CART, 2, 1, 10)), ControlMode.APPLY);
        assertTrue(low.reasons().get(0).endsWith("instances 0 is below min 1"), low.reasons().toString());
    }

    @Test
    void controllerTargetBeyondBoundsIsClampedToTheBoundAndTheStep() {
        Verdict v = one(scale(Layer.L1, CART, 8, 30), fresh(spec(CART, 8, 1, 10)), ControlMode.APPLY);
        assertEquals(Outcome.APPLY, v.outcome());
        assertEquals(10, v.allowedInstances());
        Verdict step = one(scale(Layer.L1, CART, 2, 9), fresh(spec(CART, 2, 1, 10)), ControlMode.APPLY);
        assertEquals(4, step.allowedInstances(), "max(2, 50% of 2) = 2 per step");
        assertTrue(step.reasons().get(0).startsWith("step: 2 -> 9 exceeds max step 2"), step.reasons().toString());
    }

    @Test
    void anAiTargetOutsideTheBoundsIsRejectedNamingTheBoundNotClamped() {
        for (Layer ai : List.of(Layer.L2, Layer.L3)) {
            Verdict v = one(scale(ai, CART, 9, 11), fresh(spec(CART, 9, 1, 10)), ControlMode.APPLY);
            assertEquals(Outcome.REJECT, v.outcome());
            assertEquals(9, v.allowedInstances(), "a rejected change keeps the current count");
            assertEquals(List.of("blueprint 'acme/shop': slice 'org.acme:cart:1.0' instances 11 is above max 10"),
                    v.reasons());
        }
        Verdict l1 = one(scale(Layer.L1, CART, 9, 11), fresh(spec(CART, 9, 1, 10)), ControlMode.APPLY);
        assertEquals(Outcome.APPLY, l1.outcome());
        assertEquals(10, l1.allowedInstances(), "L1 keeps clamping");
    }

    @Test
    void anAiStepBeyondTheMaxStepIsRejectedNotClamped() {
        Verdict v = one(scale(Layer.L2, CART, 2, 9), fresh(spec(CART, 2, 1, 10)), ControlMode.APPLY);
        assertEquals(Outcome.REJECT, v.outcome());
        assertEquals(List.of("step: 2 -> 9 exceeds max step 2"), v.reasons());
        assertEquals(Outcome.APPLY, one(scale(Layer.L2, CART, 2, 4), fresh(spec(CART, 2, 1, 10)),
                ControlMode.APPLY).outcome());
    }

    private static Decision nodeAction(Layer layer, Decision.NodeAction.Kind kind, String nodeId) {
        return new Decision(layer, List.of(), List.of(new Decision.NodeAction(kind, Optional.ofNullable(nodeId),
                "test")), "test", 0.9, Optional.empty());
    }

    private NodeVerdict oneNode(Decision d, ControlMode mode, Optional<List<String>> workers) {
        List<NodeVerdict> verdicts = guardrails.checkNodeActions(d, mode, workers);
        assertEquals(1, verdicts.size());
        return verdicts.get(0);
    }

    @Test
    void nodeActionsNeedAProvisionerRoomUnderMaxWorkersAProvisionedNodeAndTheCooldown() {
        Decision add = nodeAction(Layer.L2, Decision.NodeAction.Kind.ADD_WORKER, null);
        assertEquals(List.of("no node provisioner configured"),
                oneNode(add, ControlMode.APPLY, Optional.empty()).reasons());
        assertEquals(Outcome.PROPOSE, oneNode(add, ControlMode.PROPOSE,
                Optional.of(List.of("w1", "w2", "w3"))).outcome());
        assertEquals(List.of("workers: the provisioner runs 4 workers, max 4"), oneNode(add, ControlMode.APPLY,
                Optional.of(List.of("w1", "w2", "w3", "w4"))).reasons());
        NodeVerdict foreign = oneNode(nodeAction(Layer.L1, Decision.NodeAction.Kind.REMOVE_WORKER, "core-1"),
                ControlMode.APPLY, Optional.of(List.of("w1")));
        assertEquals(List.of("node 'core-1' was not started by the node provisioner (it runs [w1])"),
                foreign.reasons());

        guardrails.recordNodeAction();
        clock.advance(Duration.ofSeconds(59));
        NodeVerdict cooling = oneNode(add, ControlMode.APPLY, Optional.of(List.of("w1")));
        assertEquals(List.of("cooldown: last node action was 59000 ms ago, node-action cooldown 60000 ms"),
                cooling.reasons());
        assertEquals(Outcome.APPLY, oneNode(nodeAction(Layer.HUMAN, Decision.NodeAction.Kind.ADD_WORKER, null),
                ControlMode.OBSERVE, Optional.of(List.of("w1"))).outcome(), "humans skip the cooldown");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Outcome.APPLY, oneNode(add, ControlMode.APPLY, Optional.of(List.of("w1"))).outcome());
    }

    @Test
    void unknownArtifactIsRejectedBySchema() {
        Verdict v = one(scale(Layer.HUMAN, "org.acme:nope:1", 1, 2), fresh(spec(CART, 2, 1, 10)), ControlMode.APPLY);
        assertEquals(Outcome.REJECT, v.outcome());
        assertTrue(v.reasons().get(0).startsWith("schema:"), v.reasons().toString());
    }

    @Test
    void modeDecidesWhatAPassingControllerChangeBecomesButHumansAlwaysApply() {
        ControlContext ctx = fresh(spec(CART, 2, 1, 10));
        assertEquals(Outcome.OBSERVE, one(scale(Layer.L1, CART, 2, 3), ctx, ControlMode.OBSERVE).outcome());
        assertEquals(Outcome.PROPOSE, one(scale(Layer.L1, CART, 2, 3), ctx, ControlMode.PROPOSE).outcome());
        assertEquals(Outcome.APPLY, one(scale(Layer.L1, CART, 2, 3), ctx, ControlMode.APPLY).outcome());
        assertEquals(Outcome.APPLY, one(scale(Layer.HUMAN, CART, 2, 3), ctx, ControlMode.OBSERVE).outcome());
    }

    @Test
    void scaleDownWithinCooldownIsRejectedButAHumanMayStillScaleDown() {
        guardrails.recordApplied(CART, 2, 4);
        clock.advance(Duration.ofSeconds(30));
        ControlContext ctx = fresh(spec(CART, 4, 1, 10));
        Verdict v = one(scale(Layer.L1, CART, 4, 3), ctx, ControlMode.APPLY);
        assertEquals(Outcome.REJECT, v.outcome());
        assertTrue(v.reasons().get(0).startsWith("cooldown:"), v.reasons().toString());
        assertEquals(Outcome.APPLY, one(scale(Layer.HUMAN, CART, 4, 3), ctx, ControlMode.APPLY).outcome());
        clock.advance(Duration.ofSeconds(31));
        assertEquals(Outcome.APPLY, one(scale(Layer.L1, CART, 4, 3), fresh(spec(CART, 4, 1, 10)), ControlMode.APPLY)
                .outcome());
    }

    @Test
    void anAiOrHumanScaleUpIsAFloorL1MayNotScaleBelowUntilItExpires() {
        guardrails.recordApplied(CART, 2, 6, Layer.L2);
        clock.advance(Duration.ofSeconds(90));
        Verdict down = one(scale(Layer.L1, CART, 6, 4), fresh(spec(CART, 6, 1, 10)), ControlMode.APPLY);
        assertEquals(Outcome.REJECT, down.outcome());
        assertTrue(down.reasons().get(0).startsWith("floor: L2 raised '" + CART + "' to 6"), down.reasons().toString());
        assertEquals(Outcome.APPLY, one(scale(Layer.L1, CART, 6, 8), fresh(spec(CART, 6, 1, 10)), ControlMode.APPLY)
                .outcome(), "L1 may still scale up above an AI floor");
        assertEquals(Outcome.APPLY, one(scale(Layer.HUMAN, CART, 6, 4), fresh(spec(CART, 6, 1, 10)), ControlMode.APPLY)
                .outcome(), "a human is not bound by the floor");
        clock.advance(GuardrailPolicy.DEFAULT_FLOOR_FOR);
        assertEquals(Outcome.APPLY, one(scale(Layer.L1, CART, 6, 4), fresh(spec(CART, 6, 1, 10)), ControlMode.APPLY)
                .outcome(), "the floor expires");

        guardrails.recordApplied(CART, 4, 7, Layer.HUMAN);
        clock.advance(Duration.ofSeconds(90));
        assertEquals(Outcome.REJECT, one(scale(Layer.L1, CART, 7, 5), fresh(spec(CART, 7, 1, 10)), ControlMode.APPLY)
                .outcome(), "an operator's scale-up holds against L1 too");
        guardrails.recordApplied(CART, 7, 5, Layer.HUMAN);
        clock.advance(Duration.ofSeconds(90));
        assertEquals(Outcome.APPLY, one(scale(Layer.L1, CART, 5, 4), fresh(spec(CART, 5, 1, 10)), ControlMode.APPLY)
                .outcome(), "a later scale-down by the same hands lifts the floor");
    }

    @Test
    void scaleUpCooldownIsShorterThanScaleDown() {
        guardrails.recordApplied(CART, 2, 4);
        clock.advance(Duration.ofSeconds(5));
        assertEquals(Outcome.REJECT, one(scale(Layer.L1, CART, 4, 6), fresh(spec(CART, 4, 1, 10)), ControlMode.APPLY)
                .outcome());
        clock.advance(Duration.ofSeconds(6));
        assertEquals(Outcome.APPLY, one(scale(Layer.L1, CART, 4, 6), fresh(spec(CART, 4, 1, 10)), ControlMode.APPLY)
                .outcome());
    }

    @Test
    void staleMetricsRefuseScaleDownButNotScaleUp() {
        ControlContext staleNode = context(clock.instant(), snapshot(clock.instant(), Set.of("n2")), spec(CART, 4, 1, 10));
        Verdict down = one(scale(Layer.L1, CART, 4, 3), staleNode, ControlMode.APPLY);
        assertEquals(Outcome.REJECT, down.outcome());
        assertEquals("stale metrics: nodes [n2] stopped reporting; not scaling down", down.reasons().get(0));
        assertEquals(Outcome.APPLY, one(scale(Layer.L1, CART, 4, 5), staleNode, ControlMode.APPLY).outcome());
        ControlContext old = context(clock.instant(), snapshot(clock.instant().minusSeconds(30), Set.of()),
                spec(CART, 4, 1, 10));
        Verdict oldDown = one(scale(Layer.L1, CART, 4, 3), old, ControlMode.APPLY);
        assertTrue(oldDown.reasons().get(0).contains("the latest snapshot is 30 s old"), oldDown.reasons().toString());
    }

    @Test
    void tenantQuotaRejectsHumansAndClampsControllersAcrossTheDecision() {
        Guardrails quota = new Guardrails(GuardrailPolicy.defaults().withTenantQuota("acme", 8), clock);
        ControlContext ctx = fresh(spec(CART, 3, 1, 10), spec(WEB, 3, 1, 10));
        Verdict human = quota.check(scale(Layer.HUMAN, CART, 3, 6), ctx, ControlMode.APPLY).get(0);
        assertEquals(Outcome.REJECT, human.outcome());
        assertEquals("quota: tenant 'acme' would have 9 instances, above its quota 8", human.reasons().get(0));
        Decision both = new Decision(Layer.L1, List.of(
                new Decision.ScaleChange("acme/shop", CART, 3, 5, "r"),
                new Decision.ScaleChange("acme/shop", WEB, 3, 5, "r")), List.of(), "both", 1, Optional.empty());
        List<Verdict> verdicts = quota.check(both, ctx, ControlMode.APPLY);
        assertEquals(5, verdicts.get(0).allowedInstances());
        assertEquals(Outcome.REJECT, verdicts.get(1).outcome(), "the first change used the tenant's last room");
    }

    @Test
    void lowConfidenceAiDecisionsAreRejectedButL1IsExempt() {
        ControlContext ctx = fresh(spec(CART, 2, 1, 10));
        Decision l2 = new Decision(Layer.L2, scale(Layer.L2, CART, 2, 3).changes(), List.of(), "slm", 0.4,
                Optional.empty());
        assertEquals(Outcome.REJECT, one(l2, ctx, ControlMode.APPLY).outcome());
        Decision l1 = new Decision(Layer.L1, l2.changes(), List.of(), "tree", 0.4, Optional.empty());
        assertEquals(Outcome.APPLY, one(l1, ctx, ControlMode.APPLY).outcome());
    }

    @Test
    void rateBoundRejectsTheDecisionBeyondTheLimitPerMinute() {
        GuardrailPolicy fast = new GuardrailPolicy(2, 0.5, 3, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(5),
                Map.of(), 0.7);
        Guardrails g = new Guardrails(fast, clock);
        for (int i = 0; i < 3; i++) {
            g.recordApplied(CART, 2 + i, 3 + i);
            clock.advance(Duration.ofSeconds(1));
        }
        Verdict v = g.check(scale(Layer.L1, CART, 5, 6), fresh(spec(CART, 5, 1, 10)), ControlMode.APPLY).get(0);
        assertEquals("rate: 3 changes to 'org.acme:cart:1.0' in the last minute, max 3", v.reasons().get(0));
        clock.advance(Duration.ofSeconds(58));
        assertEquals(Outcome.APPLY, g.check(scale(Layer.L1, CART, 5, 6), fresh(spec(CART, 5, 1, 10)),
                ControlMode.APPLY).get(0).outcome());
    }

    @Test
    void invalidPolicyNamesTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GuardrailPolicy(0, 0.5, 6,
                Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(5), Map.of(), 0.7).validate());
        assertEquals("guardrail policy: maxStepAbsolute: 0 must be at least 1", e.getMessage());
        IllegalArgumentException quota = assertThrows(IllegalArgumentException.class,
                () -> GuardrailPolicy.defaults().withTenantQuota("acme", -1).validate());
        assertTrue(quota.getMessage().contains("tenantMaxInstances.acme"), quota.getMessage());
    }
}

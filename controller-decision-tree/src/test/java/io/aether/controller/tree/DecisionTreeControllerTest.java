package io.aether.controller.tree;

import static io.aether.controller.tree.Harness.ARTIFACT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.control.Decision;
import io.aether.core.control.Decision.Escalation.Reason;
import io.aether.core.control.Layer;
import io.aether.core.metrics.SliceMetrics;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecisionTreeControllerTest {

    /** 4 instances at 260 calls/s: utilisation 0.65, inside the band around the 0.70 target, 90 s of window. */
    private static Harness steady() {
        return new Harness(TreeRules.defaults(), 4).warm(90, 260);
    }

    private static SliceMetrics metrics(double calls, double errorRate, double p99Ms, int inFlight, int instances,
                                        double cpu) {
        return new SliceMetrics(ARTIFACT, calls, errorRate, 20, p99Ms, inFlight, instances, cpu);
    }

    private static String only(Decision decision) {
        assertEquals(1, decision.changes().size(), decision.reasoning());
        return decision.changes().get(0).rule();
    }

    @Test
    void steadyLoadInsideTheBandHoldsAndSaysWhy() {
        Harness h = steady();
        assertTrue(h.last.isHold());
        assertEquals(Layer.L1, h.last.layer());
        assertEquals(ARTIFACT + ": within band: utilisation 0.65 of target 0.70 (band 0.63..0.77)",
                h.last.reasoning());
        assertEquals(Optional.empty(), h.last.escalation());
    }

    @Test
    void utilisationRuleSizesTheSliceForItsDemandAtTargetOnceItLastsTwoSeconds() {
        Harness h = steady();
        assertEquals(ARTIFACT + ": utilisation 0.90 above band for 1 s, a scale-up needs 2 s → hold",
                h.load(360).reasoning());
        Decision d = h.load(360);
        assertEquals("utilisation: 0.90 > 0.77 (target 0.70 + band 0.10) for 2 s, demand 3.60 instance-units"
                + " (calls/s ÷ 100.00 per instance) → 4 → 6 instances", only(d));
        assertEquals(4, d.changes().get(0).fromInstances());
        assertEquals("shop/web", d.changes().get(0).blueprint());
        assertEquals(1.0, d.confidence());
    }

    @Test
    void latencyRuleScalesProportionallyToTheOvershoot() {
        Harness h = steady();
        Decision d = h.step(metrics(260, 0, 412, 0, 4, 0.65));
        assertEquals("latency: p99 412 ms > SLO 200 ms (2.06x) → 4 → 8 instances", only(d));
    }

    @Test
    void latencyFromABacklogWaitsForRequestedInstancesThatCoverTheDemand() {
        Harness h = steady();
        h.instances = 8;
        Decision d = h.step(metrics(400, 0, 900, 0, 4, 1.0));
        assertTrue(d.isHold(), d.reasoning());
        assertEquals(ARTIFACT + ": latency: p99 900 ms > SLO 200 ms but 8 instances requested (4 active) cover"
                + " demand 4.00 at 0.77 → waiting for start-up", d.reasoning());
    }

    @Test
    void inFlightRuleScalesUpWhenCallsQueueBeyondWhatAnInstanceDrainsWithinTheSlo() {
        Harness h = steady();
        // Bound by Little's law: 100 calls/s × 0.2 s SLO × 0.5 = 10 in flight per instance.
        Decision d = h.step(metrics(260, 0, 50, 80, 4, 0.65));
        assertEquals("in-flight: 20.00 per instance > bound 10.00 (80 in flight on 4) → 4 → 8 instances", only(d));
    }

    @Test
    void errorRuleScalesUpWhenErrorsComeWithLoad() {
        Harness h = steady();
        Decision d = h.step(metrics(260, 0.10, 50, 0, 4, 0.65));
        assertEquals("errors: 10.0% > SLO 1.0% at utilisation 0.65 → 4 → 5 instances", only(d));
    }

    @Test
    void errorsWithoutLoadHoldAndEscalateAsUnclassified() {
        Harness h = new Harness(TreeRules.defaults(), 4);
        h.min = 4;
        h.warm(90, 100);
        Decision d = h.step(metrics(100, 0.10, 50, 0, 4, 0.25));
        assertTrue(d.isHold(), d.reasoning());
        assertTrue(d.reasoning().contains("errors 10.0% > SLO 1.0% at utilisation 0.25: not a capacity problem"),
                d.reasoning());
        assertEquals(Reason.UNCLASSIFIED_PATTERN, d.escalation().orElseThrow().reason());
    }

    @Test
    void hysteresisHoldsInsideTheBandOnBothSides() {
        Harness h = steady();
        assertEquals(ARTIFACT + ": within band: utilisation 0.75 of target 0.70 (band 0.63..0.77)",
                h.load(300).reasoning());
        assertTrue(h.last.isHold());
        assertTrue(h.load(256).isHold());
        assertTrue(h.last.reasoning().contains("within band: utilisation 0.64"), h.last.reasoning());
    }

    @Test
    void aScaleUpIsNeverUndoneWhileTheLoadThatCausedItStays() {
        Harness h = steady();
        h.load(360);
        h.load(360);
        assertEquals(6, h.instances);
        for (int i = 0; i < 300; i++) {
            assertTrue(h.load(360).isHold(), h.last.reasoning());
        }
        assertTrue(h.last.reasoning().contains("stabilising: the last 30 s peaked at 3.60 instance-units, needing 6"),
                h.last.reasoning());
    }

    @Test
    void scaleUpCooldownSpacesScaleUpsByFiveSeconds() {
        Harness h = steady();
        h.load(360);
        h.load(360);
        assertEquals(6, h.instances);
        for (int i = 1; i <= 4; i++) {
            Decision d = h.load(600);
            assertTrue(d.isHold(), d.reasoning());
            assertTrue(d.reasoning().contains("cooldown: last scale-up " + i + " s ago (scale-up cooldown 5 s)"),
                    d.reasoning());
        }
        Decision d = h.load(600);
        assertFalse(d.isHold(), d.reasoning());
        assertEquals(6, d.changes().get(0).fromInstances());
    }

    @Test
    void scaleDownWaitsForTheCooldownAfterTheLastChange() {
        Harness h = new Harness(Rules.with("scaleDownStabilisationSeconds", 5), 4).warm(90, 260);
        h.load(360);
        h.load(360);
        assertEquals(6, h.instances);
        // The cooldown counts from the second the new instances showed up in the window (one after the decision).
        for (int i = 1; i <= 30; i++) {
            Decision d = h.load(100);
            assertTrue(d.isHold(), i + ": " + d.reasoning());
        }
        assertTrue(h.last.reasoning().contains("cooldown: scale-down waits 1 s more (30 s after the last change)"),
                h.last.reasoning());
        Decision d = h.load(100);
        assertEquals("utilisation 0.17 < 0.63 (target 0.70 − band 0.10) for 5 s, peak demand 1.00 instance-units"
                + " → 6 → 2 instances", only(d));
    }

    @Test
    void scaleDownSizesForThePeakOfTheStabilisationWindow() {
        Harness h = new Harness(Rules.with("scaleDownCooldownSeconds", 0), 8).warm(90, 500);
        // 5 instance-units need 8 instances at 0.70: utilisation 0.625 is below the band but the slice holds.
        assertEquals(8, h.instances);
        for (int i = 0; i < 29; i++) {
            Decision d = h.load(i % 2 == 0 ? 100 : 200);
            assertTrue(d.isHold(), d.reasoning());
        }
        assertTrue(h.last.reasoning().contains("stabilising: the last 30 s peaked at 5.00 instance-units"),
                h.last.reasoning());
        Decision d = h.load(100);
        assertEquals("utilisation 0.13 < 0.63 (target 0.70 − band 0.10) for 30 s, peak demand 2.00 instance-units"
                + " → 8 → 3 instances", only(d));
    }

    @Test
    void scaleUpStopsAtTheBlueprintMaxAndDownAtItsMin() {
        Harness h = steady();
        h.max = 5;
        h.load(360);
        assertEquals("utilisation: 0.90 > 0.77 (target 0.70 + band 0.10) for 2 s, demand 3.60 instance-units"
                + " (calls/s ÷ 100.00 per instance) → 4 → 5 instances (capped at max 5, wanted 6)",
                only(h.load(360)));
        h.warm(10, 480);
        assertTrue(h.last.isHold());
        assertTrue(h.last.reasoning().contains("wants 7 but at max 5 → hold"), h.last.reasoning());

        Harness low = steady();
        low.min = 3;
        low.warm(120, 50);
        assertEquals(3, low.instances);
        assertTrue(low.last.reasoning().contains("but at min 3 → hold"), low.last.reasoning());
    }

    @Test
    void aLargeOverloadIsLimitedToTheStepSize() {
        Harness h = new Harness(Rules.with("maxInFlightPerInstance", 1_000_000), 4).warm(90, 260);
        // 1000 more calls queue each second: arrivals 400 + 1000 = 14 instance-units, 20 instances at target.
        assertTrue(h.step(metrics(400, 0, 150, 1000, 4, 1.0)).isHold());
        Decision d = h.step(metrics(400, 0, 150, 2000, 4, 1.0));
        assertEquals("utilisation: 3.50 > 0.77 (target 0.70 + band 0.10) for 2 s, demand 14.00 instance-units"
                + " (calls/s ÷ 100.00 per instance) → 4 → 8 instances (step limit ×2.00/+4, wanted 20)", only(d));
    }

    @Test
    void staleNodesHoldEvenWhenTheLoadIsGone() {
        Harness h = steady();
        for (int i = 0; i < 120; i++) {
            Decision d = h.step(Harness.model(10, h.instances, 0, 0), Set.of("node-2"));
            assertTrue(d.isHold(), d.reasoning());
        }
        assertEquals(4, h.instances);
        assertEquals(ARTIFACT + ": stale metrics: nodes [node-2] stopped reporting → hold (never scale on stale"
                + " metrics)", h.last.reasoning());
    }

    @Test
    void aSliceWithoutASampleHolds() {
        Harness h = steady();
        Decision d = h.step(null);
        assertTrue(d.isHold());
        assertEquals(ARTIFACT + ": stale metrics: no sample for the slice in the last 3 s → hold (never scale on"
                + " stale metrics)", d.reasoning());
    }

    @Test
    void seasonalRuleScalesUpBeforeARecurringRise() {
        Harness h = new Harness(TreeRules.defaults(), 2);
        int period = 300;
        Decision predictive = null;
        int predictivePhase = -1;
        for (int t = 0; t < 3 * period; t++) {
            int phase = t % period;
            Decision d = h.load(phase >= 200 && phase < 260 ? 400 : 100);
            if (t >= 2 * period && predictive == null && !d.isHold()) {
                predictive = d;
                predictivePhase = phase;
            }
            if (t == 2 * period + 199) {
                assertTrue(h.instances >= 6, "instances before the third rise: " + h.instances);
            }
        }
        assertTrue(predictive != null);
        assertTrue(predictivePhase >= 170 && predictivePhase < 200, "scaled at phase " + predictivePhase);
        assertTrue(only(predictive).startsWith("predictive: period 300 s (autocorrelation "), only(predictive));
        assertEquals(0.7, predictive.confidence());
    }

    @Test
    void trendRuleScalesUpAheadOfARamp() {
        Harness h = new Harness(TreeRules.defaults(), 4);
        h.min = 4;
        h.warm(90, 100);
        Decision first = null;
        double load = 100;
        while (first == null && load < 1000) {
            load += 3;
            Decision d = h.load(load);
            if (!d.isHold()) {
                first = d;
            }
        }
        assertTrue(first != null);
        assertTrue(only(first).startsWith("predictive: trend +0.03/s over 60 s (R² "), only(first));
        assertTrue(load / 400 < 0.77, "utilisation when it scaled: " + load / 400);
    }

    @Test
    void tooLittleHistoryEscalates() {
        Harness h = new Harness(TreeRules.defaults(), 4);
        Decision d = h.load(260);
        assertEquals(Reason.NO_HISTORY, d.escalation().orElseThrow().reason());
        assertEquals(ARTIFACT + ": only 1 s of window, rules want 60 s", d.escalation().orElseThrow().detail());
        assertEquals(0.5, d.confidence());
    }

    @Test
    void instancesGoingUpAndDownRepeatedlyEscalateAsOscillation() {
        Harness h = steady();
        h.apply = false;
        Decision d = null;
        for (int t = 0; t < 100; t++) {
            int active = (t / 20) % 2 == 0 ? 6 : 4;
            d = h.step(metrics(260, 0, 50, 0, active, 260.0 / active / 100));
        }
        assertEquals(Reason.OSCILLATION, d.escalation().orElseThrow().reason());
        assertTrue(d.escalation().get().detail().contains("instances changed direction 4 times"),
                d.escalation().get().detail());
    }

    @Test
    void latencyOverSloAfterInstancesRoseBothScalesAndEscalates() {
        Harness h = steady();
        h.apply = false;
        h.instances = 8;
        Decision d = null;
        for (int t = 0; t < 60; t++) {
            d = h.step(metrics(260, 0, 300, 0, t < 59 ? 4 : 8, 0.65));
        }
        assertEquals(Reason.SLO_BREACH_DESPITE_SCALING, d.escalation().orElseThrow().reason());
        assertEquals(ARTIFACT + ": p99 above SLO 200 ms for 60 s (lowest 300 ms) although instances rose 4 → 8",
                d.escalation().get().detail());
        assertEquals("latency: p99 300 ms > SLO 200 ms (1.50x) → 8 → 12 instances", only(d));
    }

    @Test
    void erraticLatencyUnderSteadyLoadEscalatesAsUnclassified() {
        Harness h = steady();
        Decision d = null;
        for (int t = 0; t < 60; t++) {
            d = h.step(metrics(260, 0, t % 10 == 0 ? 1000 : 20, 0, h.instances, 260.0 / h.instances / 100));
        }
        assertEquals(Reason.UNCLASSIFIED_PATTERN, d.escalation().orElseThrow().reason());
        assertTrue(d.escalation().get().detail().contains("while load is steady"), d.escalation().get().detail());
    }

    @Test
    void theSameContextsGiveTheSameDecisions() {
        Harness a = steady();
        Harness b = steady();
        for (int t = 0; t < 400; t++) {
            double load = 200 + 150 * Math.sin(t / 30.0);
            assertEquals(a.load(load), b.load(load));
        }
    }

    @Test
    void invalidRulesAreRefusedAtConstruction() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new DecisionTreeController(Rules.with("targetUtilisation", 1.5)));
        assertEquals("aether.controller.l1: targetUtilisation 1.5 is outside (0,1]", e.getMessage());
    }
}

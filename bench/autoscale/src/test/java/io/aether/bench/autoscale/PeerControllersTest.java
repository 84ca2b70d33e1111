package io.aether.bench.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.control.Decision;
import org.junit.jupiter.api.Test;

class PeerControllersTest {

    private static int target(Decision decision, int current) {
        return decision.changes().isEmpty() ? current : decision.changes().get(0).toInstances();
    }

    private static void fill(Contexts c, long from, long to, double calls, double inFlight, int ready, double cpu) {
        for (long t = from; t <= to; t++) {
            c.second(t, calls, inFlight, ready, cpu);
        }
    }

    @Test
    void hpaIgnoresDeviationsWithinTenPercentTolerance() {
        Contexts c = new Contexts();
        HpaController hpa = new HpaController(Replay.ARTIFACT, 0.7);
        fill(c, 1, 15, 0, 0, 10, 0.76);
        assertTrue(hpa.evaluate(c.at(15, 10, 1, 50)).isHold());
        fill(c, 16, 30, 0, 0, 10, 0.78);
        assertEquals(12, target(hpa.evaluate(c.at(30, 10, 1, 50)), 10));
    }

    @Test
    void hpaScaleDownWaitsForTheHighestRecommendationOfTheLast300Seconds() {
        Contexts c = new Contexts();
        HpaController hpa = new HpaController(Replay.ARTIFACT, 0.5);
        // t=15: cpu 0.5 on 10 pods -> recommendation 10 (hold); then load halves: recommendation 5 each sync.
        fill(c, 1, 15, 0, 0, 10, 0.5);
        assertTrue(hpa.evaluate(c.at(15, 10, 1, 50)).isHold());
        for (long t = 30; t <= 300; t += 15) {
            fill(c, t - 14, t, 0, 0, 10, 0.25);
            assertTrue(hpa.evaluate(c.at(t, 10, 1, 50)).isHold(), "t=" + t + ": the 10 of t=15 is in the window");
        }
        fill(c, 301, 315, 0, 0, 10, 0.25);
        assertEquals(5, target(hpa.evaluate(c.at(315, 10, 1, 50)), 10), "t=315: t=15 left the 300 s window");
    }

    @Test
    void hpaScaleUpIsLimitedToDoubleOrFourPodsPerPeriodAndSaturatedCpuReadsOneHundredPercent() {
        Contexts c = new Contexts();
        HpaController hpa = new HpaController(Replay.ARTIFACT, 0.5);
        fill(c, 1, 15, 0, 0, 2, 1.0);
        assertEquals(4, target(hpa.evaluate(c.at(15, 2, 1, 50)), 2), "ceil(2 x 1.0/0.5) = 4");
        Contexts big = new Contexts();
        HpaController hpa2 = new HpaController(Replay.ARTIFACT, 0.1);
        fill(big, 1, 15, 0, 0, 2, 1.0);
        assertEquals(6, target(hpa2.evaluate(big.at(15, 2, 1, 50)), 2), "20 wanted, max(2 + 4, 2 x 2) = 6");
    }

    @Test
    void kpaPanicsAtTwiceTheReadyPodsNeverScalesDownInPanicAndLeavesAfterAStableWindow() {
        Contexts c = new Contexts();
        KpaController kpa = new KpaController(Replay.ARTIFACT, KpaController.Metric.CONCURRENCY, 10);
        int instances = 4;
        long t = 1;
        for (; t <= 61; t++) {
            c.second(t, 0, 40, 4, 0.5);
            instances = target(kpa.evaluate(c.at(t, instances, 1, 100)), instances);
        }
        assertFalse(kpa.panicking());
        assertEquals(4, instances);
        for (; t <= 67; t++) {
            c.second(t, 0, 200, 4, 1.0);
            instances = target(kpa.evaluate(c.at(t, instances, 1, 100)), instances);
        }
        assertTrue(kpa.panicking(), "6 s of 200 in flight want 20 pods >= 2 x 4 ready");
        assertEquals(20, instances);
        // The panic window still holds spike seconds until the tick at 71 (4.5 s mean 93: 10 pods >= 2 x 4).
        long lastOver = 71;
        for (; t <= lastOver + 60; t++) {
            c.second(t, 0, 40, 4, 0.5);
            int next = target(kpa.evaluate(c.at(t, instances, 1, 100)), instances);
            assertTrue(kpa.panicking(), "t=" + t + ": still within a stable window of the last over-threshold tick");
            assertTrue(next >= instances, "t=" + t + ": no scale-down in panic");
            instances = next;
        }
        for (; t <= lastOver + 62; t++) {
            c.second(t, 0, 40, 4, 0.5);
            instances = target(kpa.evaluate(c.at(t, instances, 1, 100)), instances);
        }
        assertFalse(kpa.panicking(), "a stable window without going over the threshold ends panic");
        assertEquals(4, instances, "out of panic: the stable window's 40 in flight want 4 pods");
    }

    @Test
    void kedaScalesToMinOnlyAfterTheTriggerWasInactiveForTheCooldown() {
        Contexts c = new Contexts();
        KedaController keda = new KedaController(Replay.ARTIFACT, 70);
        int instances = 10;
        long t = 1;
        for (; t <= 30; t++) {
            c.second(t, 700, 0, 10, 0.7);
        }
        instances = target(keda.evaluate(c.at(30, instances, 2, 50)), instances);
        assertEquals(10, instances);
        long lastActivePoll = 30;
        for (; t <= 600; t++) {
            c.second(t, 0, 0, instances, 0);
            if (t % 15 == 0) {
                Decision d = keda.evaluate(c.at(t, instances, 2, 50));
                if (t - lastActivePoll < KedaController.COOLDOWN_SECONDS) {
                    assertTrue(d.isHold() || !d.reasoning().contains("cooldown"), "t=" + t);
                }
                instances = target(d, instances);
            }
        }
        assertEquals(2, instances);
    }
}

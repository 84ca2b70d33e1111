package io.aether.controller.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.control.ControlContext;
import io.aether.core.control.Decision;
import io.aether.core.metrics.ClusterMetricsSnapshot;
import io.aether.core.metrics.SliceMetrics;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * L1 against a service with a queue and slow-starting instances: what a user sees is that a load step is met
 * within seconds, without overshoot, and the instances come back down once the load has.
 */
class QueueingServiceTest {

    private static final String A = Harness.ARTIFACT;
    private static final double CAPACITY = 100;
    private static final int START_UP_SECONDS = 10;
    private static final int SLO_P99_MS = 200;

    /** One run's outcome. */
    record Run(int peakInstances, int finalInstances, int sloViolationSeconds, int decisions, int[] instancesAt) {
    }

    private static Run replay(double[] trace, int initialInstances) {
        DecisionTreeController controller = new DecisionTreeController(TreeRules.defaults());
        FakeHistory history = new FakeHistory(7200);
        int desired = initialInstances;
        int active = initialInstances;
        ArrayDeque<long[]> starting = new ArrayDeque<>();
        double queue = 0;
        int peak = 0;
        int violations = 0;
        int decisions = 0;
        int[] instancesAt = new int[trace.length];
        for (int t = 0; t < trace.length; t++) {
            while (!starting.isEmpty() && starting.peek()[0] <= t) {
                active += (int) starting.poll()[1];
            }
            double capacity = active * CAPACITY;
            double served = Math.min(queue + trace[t], capacity);
            queue = queue + trace[t] - served;
            double p99 = 50 + 1000 * queue / Math.max(capacity, 1) + (served / capacity > 0.9 ? 100 : 0);
            if (p99 > SLO_P99_MS) {
                violations++;
            }
            SliceMetrics m = new SliceMetrics(A, served, 0, 20, p99, (int) Math.round(queue + served * 0.05), active,
                    served / capacity);
            history.append(t, Map.of(A, m));
            ClusterMetricsSnapshot snapshot = new ClusterMetricsSnapshot(t, Map.of(), Map.of(A, m), Set.of());
            ControlContext context = new ControlContext(Instant.ofEpochSecond(t), snapshot, history, List.of(),
                    List.of(), Map.of(A, new ControlContext.SliceSpec("shop/web", "shop", A, desired, 1, 50,
                    SLO_P99_MS, 0.01)), Map.of());
            Decision d = controller.evaluate(context);
            for (Decision.ScaleChange change : d.changes()) {
                decisions++;
                if (change.toInstances() > desired) {
                    starting.add(new long[] {t + START_UP_SECONDS, change.toInstances() - desired});
                } else {
                    // Draining instances stop at once; ones still starting are cancelled first.
                    int remove = desired - change.toInstances();
                    while (remove > 0 && !starting.isEmpty()) {
                        long[] last = starting.peekLast();
                        int cancel = (int) Math.min(remove, last[1]);
                        last[1] -= cancel;
                        remove -= cancel;
                        if (last[1] == 0) {
                            starting.pollLast();
                        }
                    }
                    active -= remove;
                }
                desired = change.toInstances();
            }
            peak = Math.max(peak, desired);
            instancesAt[t] = desired;
        }
        return new Run(peak, desired, violations, decisions, instancesAt);
    }

    private static double[] trace(int seconds, java.util.function.IntToDoubleFunction load) {
        double[] trace = new double[seconds];
        for (int t = 0; t < seconds; t++) {
            trace[t] = load.applyAsDouble(t);
        }
        return trace;
    }

    @Test
    void aThreefoldStepIsMetWithoutOvershootAndReleasedAfterItEnds() {
        Run run = replay(trace(900, t -> t < 120 || t >= 480 ? 240 : 720), 4);
        // 720 calls/s need ceil(7.2 / 0.7) = 11 instances at target: asked for within 5 s, never more.
        assertEquals(8, run.instancesAt()[120], "instances asked for in the step's first second");
        assertEquals(11, run.instancesAt()[125], "instances asked for 5 s into the step");
        assertEquals(11, run.peakInstances());
        // What remains is the 10 s start-up plus draining the queue built meanwhile.
        assertTrue(run.sloViolationSeconds() <= 25, "SLO violation seconds " + run.sloViolationSeconds());
        assertEquals(4, run.instancesAt()[480 + 30], "instances 30 s after the step ended");
        assertEquals(3, run.decisions());
    }

    @Test
    void aRecurringSpikeFindsItsInstancesAlreadyAskedForOnceThePeriodIsKnown() {
        // 30 s at 1200 calls/s every 600 s; the seasonal rule trusts a period after 1.5 periods of window.
        Run run = replay(trace(1800, t -> t % 600 >= 300 && t % 600 < 330 ? 1200 : 240), 4);
        assertEquals(4, run.instancesAt()[1470], "instances well before the third spike");
        assertEquals(18, run.instancesAt()[1490], "instances 10 s (one start-up) before the third spike");
        assertEquals(18, run.peakInstances());
        assertEquals(4, run.instancesAt()[1799], "instances after the third spike");
    }

    @Test
    void noiseAroundASteadyLoadDoesNotMakeInstancesOscillate() {
        java.util.Random random = new java.util.Random(7);
        Run run = replay(trace(1800, t -> 400 * (1 + 0.15 * random.nextGaussian())), 6);
        assertTrue(run.decisions() <= 2, "decisions " + run.decisions());
        assertEquals(0, run.sloViolationSeconds());
    }
}

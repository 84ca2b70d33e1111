package io.aether.controller.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.control.Decision;
import io.aether.core.metrics.SliceMetrics;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class DecisionTreeBoundsPropertyTest {

    /** One second of arbitrary (also nonsensical) metrics, possibly stale or missing. */
    record Second(double calls, double errorRate, double p99Ms, int inFlight, int active, double cpu, boolean stale,
                  boolean missing) {
    }

    @Provide
    Arbitrary<List<Second>> seconds() {
        Arbitrary<Second> second = Combinators.combine(
                Arbitraries.doubles().between(0, 5000),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.doubles().between(0, 5000),
                Arbitraries.integers().between(0, 5000),
                Arbitraries.integers().between(0, 60),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 19)
        ).as((calls, errors, p99, inFlight, active, cpu, stale, missing) ->
                new Second(calls, errors, p99, inFlight, active, cpu, stale == 0, missing == 0));
        return second.list().ofMinSize(1).ofMaxSize(300);
    }

    @Property(tries = 200)
    void decisionsStayWithinTheBlueprintBoundsAndNeverScaleOnStaleMetrics(
            @ForAll("seconds") List<Second> seconds, @ForAll @IntRange(min = 0, max = 10) int min,
            @ForAll @IntRange(min = 0, max = 40) int extra, @ForAll @IntRange(min = 0, max = 50) int start) {
        Harness h = new Harness(TreeRules.defaults(), Math.min(min + extra, Math.max(min, start)));
        h.min = min;
        h.max = min + extra;
        for (Second s : seconds) {
            int before = h.instances;
            SliceMetrics metrics = s.missing() ? null : new SliceMetrics(Harness.ARTIFACT, s.calls(), s.errorRate(),
                    s.p99Ms() / 2, s.p99Ms(), s.inFlight(), s.active(), s.cpu());
            Decision d = h.step(metrics, s.stale() ? Set.of("node-3") : Set.of());
            for (Decision.ScaleChange change : d.changes()) {
                assertTrue(change.toInstances() >= h.min && change.toInstances() <= h.max,
                        change + " outside [" + h.min + "," + h.max + "]");
                assertEquals(before, change.fromInstances());
            }
            if (s.stale() || s.missing()) {
                assertTrue(d.isHold(), d.reasoning());
            }
            assertTrue(d.confidence() > 0 && d.confidence() <= 1, d.reasoning());
        }
    }
}

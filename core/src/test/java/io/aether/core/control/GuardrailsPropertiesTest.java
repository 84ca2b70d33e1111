package io.aether.core.control;

import static io.aether.core.control.ControlFixtures.CART;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.control.Verdict.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Whatever the layers ask, in any order and at any pace, the applied instance counts keep the guardrails. */
class GuardrailsPropertiesTest {

    record Step(Layer layer, int target, int afterSeconds, boolean staleNode) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.of(Layer.L1, Layer.L2, Layer.L3, Layer.HUMAN),
                Arbitraries.integers().between(-20, 60), Arbitraries.integers().between(0, 20),
                Arbitraries.of(true, false, false)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(200);
    }

    @Property(tries = 300)
    void noSequenceOfDecisionsLeavesTheBoundsOrExceedsStepOrRate(@ForAll("steps") List<Step> steps,
                                                                  @ForAll @IntRange(min = 0, max = 5) int min,
                                                                  @ForAll @IntRange(min = 0, max = 40) int span,
                                                                  @ForAll @IntRange(min = 1, max = 8) int maxRate) {
        int max = min + span;
        GuardrailPolicy policy = new GuardrailPolicy(2, 0.5, maxRate, Duration.ofSeconds(60), Duration.ofSeconds(10),
                Duration.ofSeconds(5), Map.of(), 0.0);
        ControlFixtures.ManualClock clock = new ControlFixtures.ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        Guardrails guardrails = new Guardrails(policy, clock);
        int instances = min;
        Deque<Instant> controllerChanges = new ArrayDeque<>();
        for (Step s : steps) {
            clock.advance(Duration.ofSeconds(s.afterSeconds()));
            ControlContext ctx = ControlFixtures.context(clock.instant(), ControlFixtures.snapshot(clock.instant(),
                    s.staleNode() ? Set.of("n9") : Set.of()), ControlFixtures.spec(CART, instances, min, max));
            Verdict v = guardrails.check(ControlFixtures.scale(s.layer(), CART, instances, s.target()), ctx,
                    ControlMode.APPLY).get(0);
            if (v.outcome() != Outcome.APPLY) {
                continue;
            }
            int next = v.allowedInstances();
            assertTrue(next >= min && next <= max, next + " outside " + min + ".." + max + " after " + s);
            if (s.layer() != Layer.HUMAN) {
                assertTrue(Math.abs(next - instances) <= policy.maxStep(instances),
                        instances + " -> " + next + " exceeds the step bound");
                assertTrue(!(s.staleNode() && next < instances), "scaled down on stale metrics");
                Instant now = clock.instant();
                controllerChanges.removeIf(t -> !t.isAfter(now.minusSeconds(60)));
                assertTrue(controllerChanges.size() < maxRate, "more than " + maxRate + " changes in a minute");
                controllerChanges.addLast(now);
            }
            guardrails.recordApplied(CART, instances, next);
            instances = next;
        }
    }
}

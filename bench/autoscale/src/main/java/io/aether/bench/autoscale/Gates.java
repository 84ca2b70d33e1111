package io.aether.bench.autoscale;

import io.aether.core.control.ControlContext;
import io.aether.core.control.ControlMode;
import io.aether.core.control.Decision;
import io.aether.core.control.GuardrailPolicy;
import io.aether.core.control.Guardrails;
import io.aether.core.control.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What stands between a controller's decision and the model. {@link #production} is the default: the node's own
 * {@link Guardrails} (one code path for every layer) with the node's default policy, in apply mode, on the
 * simulated clock. {@link #boundsOnly} only clamps to min..max, to see a controller's algorithm unguarded.
 */
public final class Gates {

    private Gates() {
    }

    /** Makes a fresh gate for one run over the given slice: (decision, the context it was made in) → changes. */
    public interface Factory extends Function<ControlContext.SliceSpec,
            BiFunction<Decision, ControlContext, List<Decision.ScaleChange>>> {
    }

    /**
     * The node's default guardrail policy: the {@code @WithDefault}s of {@code aether.controller.guardrails.*} in
     * the node's {@code ControllerConfig} (step max(4, 100%), 12 changes a minute, scale-down cooldown 30 s,
     * scale-up cooldown 5 s, stale after 5 s).
     */
    public static final GuardrailPolicy NODE_DEFAULT_POLICY = new GuardrailPolicy(4, 1.0, 12, Duration.ofSeconds(30),
            Duration.ofSeconds(5), Duration.ofSeconds(5), Map.of(), 0.7);

    /** The production guardrails with {@code policy}, fresh per run, reading time from the simulated context. */
    public static Factory production(GuardrailPolicy policy) {
        return spec -> {
            SimulatedClock clock = new SimulatedClock();
            Guardrails guardrails = new Guardrails(policy.validate(), clock);
            return (decision, context) -> {
                clock.set(context.now());
                List<Decision.ScaleChange> out = new ArrayList<>();
                for (Verdict v : guardrails.check(decision, context, ControlMode.APPLY)) {
                    if (v.outcome() != Verdict.Outcome.APPLY || !v.change().artifact().equals(spec.artifact())) {
                        continue;
                    }
                    Decision.ScaleChange c = v.change();
                    guardrails.recordApplied(c.artifact(), c.fromInstances(), v.allowedInstances(), decision.layer());
                    out.add(new Decision.ScaleChange(c.blueprint(), c.artifact(), c.fromInstances(),
                            v.allowedInstances(), c.rule()));
                }
                return out;
            };
        };
    }

    /** Clamps each change of the slice to min..max; drops other slices' changes and no-ops. */
    public static Factory boundsOnly() {
        return spec -> (decision, context) -> {
            List<Decision.ScaleChange> out = new ArrayList<>();
            for (Decision.ScaleChange change : decision.changes()) {
                if (!change.artifact().equals(spec.artifact())) {
                    continue;
                }
                int to = Math.max(spec.min(), Math.min(spec.max(), change.toInstances()));
                out.add(new Decision.ScaleChange(change.blueprint(), change.artifact(), change.fromInstances(), to,
                        change.rule()));
            }
            return out;
        };
    }
}

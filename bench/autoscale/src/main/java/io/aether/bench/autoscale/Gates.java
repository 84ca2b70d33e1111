package io.aether.bench.autoscale;

import io.aether.core.control.ControlContext;
import io.aether.core.control.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What stands between a controller's decision and the model. The replay takes a gate factory so the production
 * guardrails can be plugged in; the default here only clamps to the slice's min..max and drops changes that change
 * nothing. It has no step limit, rate limit or cooldown: every controller is measured on its own algorithm.
 */
public final class Gates {

    private Gates() {
    }

    /** Makes a fresh gate for one run over the given slice. */
    public interface Factory extends Function<ControlContext.SliceSpec, Function<Decision, List<Decision.ScaleChange>>> {
    }

    /** Clamps each change of the slice to min..max; drops other slices' changes and no-ops. */
    public static Factory boundsOnly() {
        return spec -> decision -> {
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

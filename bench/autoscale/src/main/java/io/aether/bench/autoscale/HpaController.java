package io.aether.bench.autoscale;

import io.aether.core.control.ControlContext;
import io.aether.core.control.Controller;
import io.aether.core.control.Decision;
import io.aether.core.control.Layer;
import io.aether.core.metrics.MetricsHistory;
import io.aether.core.metrics.SliceMetrics;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Kubernetes Horizontal Pod Autoscaler (autoscaling/v2) on CPU utilisation, re-implemented to its documented
 * algorithm. Runs every {@link #SYNC_SECONDS} s (the controller manager's default sync period). The metric is the
 * mean CPU utilisation of the ready pods over the last 15 s (metrics-server's resolution) against the target; CPU
 * reads at most 100% per pod, so a saturated pod cannot say how far over capacity it is.
 * <p>
 * desired = ceil(ready × utilisation / target). On a scale-up while pods are still starting, the starting pods
 * count as 0% used and the ratio is recomputed over all pods; if that ratio is within tolerance or flips direction
 * the HPA keeps the current count (pods not yet ready make it wait). Tolerance, stabilisation and rate limits are
 * {@link HpaBehavior}. Decisions carry {@link Layer#L1}: the peer takes Layer 1's place in the replay.
 */
public final class HpaController implements Controller {

    public static final int SYNC_SECONDS = 15;
    static final int METRIC_WINDOW_SECONDS = 15;

    private final String artifact;
    private final double targetUtilisation;
    private final HpaBehavior behavior = new HpaBehavior();

    public HpaController(String artifact, double targetUtilisation) {
        this.artifact = artifact;
        this.targetUtilisation = targetUtilisation;
    }

    @Override
    public Layer layer() {
        return Layer.L1;
    }

    @Override
    public Decision evaluate(ControlContext context) {
        ControlContext.SliceSpec spec = context.slice(artifact).orElseThrow(
                () -> new IllegalStateException("HPA: no slice '" + artifact + "' in the context"));
        SliceMetrics latest = context.latest().slices().get(artifact);
        int ready = latest == null ? 0 : latest.instances();
        int current = spec.instances();
        if (ready == 0) {
            return Decision.hold(Layer.L1, "HPA: no ready pods with metrics");
        }
        double utilisation = HistoryMath.mean(context.history(), artifact, MetricsHistory.Series.CPU,
                METRIC_WINDOW_SECONDS);
        double ratio = utilisation / targetUtilisation;
        int proposed;
        String why;
        if (HpaBehavior.withinTolerance(ratio)) {
            proposed = current;
            why = "within tolerance";
        } else if (ratio > 1 && current > ready) {
            double withUnready = utilisation * ready / current / targetUtilisation;
            if (HpaBehavior.withinTolerance(withUnready) || withUnready < 1) {
                proposed = current;
                why = "unready pods counted at 0% bring the ratio to " + fmt(withUnready);
            } else {
                proposed = (int) Math.ceil(withUnready * current);
                why = "ratio with unready pods at 0% " + fmt(withUnready);
            }
        } else {
            proposed = (int) Math.ceil(ratio * ready);
            why = "ratio " + fmt(ratio);
        }
        long now = context.now().getEpochSecond();
        int desired = behavior.normalize(now, current, proposed, spec.min(), spec.max());
        String reasoning = "HPA: cpu " + fmt(utilisation) + " of target " + fmt(targetUtilisation) + ", " + why
                + ", recommendation " + proposed + ", after behavior " + desired;
        if (desired == current) {
            return Decision.hold(Layer.L1, reasoning);
        }
        return change(spec, current, desired, reasoning);
    }

    static Decision change(ControlContext.SliceSpec spec, int current, int desired, String reasoning) {
        return new Decision(Layer.L1, List.of(new Decision.ScaleChange(spec.blueprint(), spec.artifact(), current,
                desired, reasoning)), List.of(), reasoning, 1.0, Optional.empty());
    }

    static String fmt(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}

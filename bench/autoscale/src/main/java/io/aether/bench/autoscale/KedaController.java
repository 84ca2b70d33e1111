package io.aether.bench.autoscale;

import io.aether.core.control.ControlContext;
import io.aether.core.control.Controller;
import io.aether.core.control.Decision;
import io.aether.core.control.Layer;
import io.aether.core.metrics.MetricsHistory;

/**
 * KEDA on a requests/s trigger, re-implemented to its documented behaviour. KEDA's operator polls the scaler every
 * {@link #POLLING_SECONDS} s (the default pollingInterval) and reads the request rate over the polling interval;
 * the HPA KEDA creates underneath syncs every 15 s on that value as an external metric with an average-value
 * target: desired = ceil(total rate / target per instance), same tolerance and {@link HpaBehavior}. When the
 * trigger has been inactive (rate 0) for {@link #COOLDOWN_SECONDS} s (the default cooldownPeriod), KEDA itself
 * sets the count to the minimum. The rate is of calls that completed (served or failed), as a request counter
 * scraped by Prometheus reports it.
 */
public final class KedaController implements Controller {

    public static final int HPA_SYNC_SECONDS = 15;
    static final int POLLING_SECONDS = 30;
    static final int COOLDOWN_SECONDS = 300;

    private final String artifact;
    private final double targetRpsPerInstance;
    private final HpaBehavior behavior = new HpaBehavior();
    private long lastPoll = Long.MIN_VALUE;
    private long lastActive = Long.MIN_VALUE;
    private double polledRps;

    public KedaController(String artifact, double targetRpsPerInstance) {
        this.artifact = artifact;
        this.targetRpsPerInstance = targetRpsPerInstance;
    }

    @Override
    public Layer layer() {
        return Layer.L1;
    }

    @Override
    public Decision evaluate(ControlContext context) {
        ControlContext.SliceSpec spec = context.slice(artifact).orElseThrow(
                () -> new IllegalStateException("KEDA: no slice '" + artifact + "' in the context"));
        long now = context.now().getEpochSecond();
        if (lastPoll == Long.MIN_VALUE || now - lastPoll >= POLLING_SECONDS) {
            polledRps = HistoryMath.mean(context.history(), artifact, MetricsHistory.Series.CALLS_PER_SECOND,
                    POLLING_SECONDS);
            lastPoll = now;
            if (polledRps > 0 || lastActive == Long.MIN_VALUE) {
                lastActive = now;
            }
        }
        int current = spec.instances();
        if (now - lastActive >= COOLDOWN_SECONDS && current > spec.min()) {
            String reasoning = "KEDA: trigger inactive for " + (now - lastActive) + " s >= cooldown "
                    + COOLDOWN_SECONDS + " s: to min " + spec.min();
            return HpaController.change(spec, current, spec.min(), reasoning);
        }
        double ratio = polledRps / (targetRpsPerInstance * current);
        int proposed = HpaBehavior.withinTolerance(ratio) ? current
                : (int) Math.ceil(polledRps / targetRpsPerInstance);
        int desired = behavior.normalize(now, current, proposed, spec.min(), spec.max());
        String reasoning = "KEDA: " + HpaController.fmt(polledRps) + " rps (polled at " + lastPoll + ") for target "
                + HpaController.fmt(targetRpsPerInstance) + "/instance, recommendation " + proposed
                + ", after behavior " + desired;
        if (desired == current) {
            return Decision.hold(Layer.L1, reasoning);
        }
        return HpaController.change(spec, current, desired, reasoning);
    }
}

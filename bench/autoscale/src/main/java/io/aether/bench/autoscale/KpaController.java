package io.aether.bench.autoscale;

import io.aether.core.control.ControlContext;
import io.aether.core.control.Controller;
import io.aether.core.control.Decision;
import io.aether.core.control.Layer;
import io.aether.core.metrics.SliceMetrics;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The Knative Pod Autoscaler, re-implemented to its documented algorithm, on concurrency (Knative's default metric:
 * requests in flight, queued ones included) or on requests/s (completed calls). It scrapes the metric every second
 * (call it every second) and decides every {@link #TICK_SECONDS} s:
 * <ul>
 *   <li>stable and panic values are the means over the last 60 s and 6 s (10% of the stable window);</li>
 *   <li>desired = ceil(concurrency / target per pod) for each, clamped between ready / 2 (max scale-down rate 2)
 *       and ready × 1000 (max scale-up rate);</li>
 *   <li>it panics when the panic-window desired count is at least 2× the ready pods (200% panic threshold); every
 *       tick still over the threshold extends panic, which ends once a full stable window passed without one;</li>
 *   <li>in panic it takes the larger of the two counts and never goes below the highest count of this panic.</li>
 * </ul>
 */
public final class KpaController implements Controller {

    public static final int SCRAPE_SECONDS = 1;
    static final int TICK_SECONDS = 2;
    static final int STABLE_WINDOW_SECONDS = 60;
    static final int PANIC_WINDOW_SECONDS = 6;
    static final double PANIC_THRESHOLD = 2.0;
    static final double MAX_SCALE_UP_RATE = 1000;
    static final double MAX_SCALE_DOWN_RATE = 2;

    /** What the autoscaler scales on. */
    public enum Metric { CONCURRENCY, RPS }

    private final String artifact;
    private final Metric metric;
    private final double targetPerPod;
    /** Metric samples, newest last, at most a stable window of them. */
    private final ArrayDeque<Double> samples = new ArrayDeque<>();
    private long lastTick = Long.MIN_VALUE;
    private long panicSince = Long.MIN_VALUE;
    private long lastOverThreshold = Long.MIN_VALUE;
    private int maxPanicPods;

    public KpaController(String artifact, Metric metric, double targetPerPod) {
        this.artifact = artifact;
        this.metric = metric;
        this.targetPerPod = targetPerPod;
    }

    @Override
    public Layer layer() {
        return Layer.L1;
    }

    /** True while the autoscaler is in panic mode. */
    public boolean panicking() {
        return panicSince != Long.MIN_VALUE;
    }

    @Override
    public Decision evaluate(ControlContext context) {
        ControlContext.SliceSpec spec = context.slice(artifact).orElseThrow(
                () -> new IllegalStateException("KPA: no slice '" + artifact + "' in the context"));
        SliceMetrics latest = context.latest().slices().get(artifact);
        double sample = latest == null ? 0.0 : switch (metric) {
            case CONCURRENCY -> latest.inFlight();
            case RPS -> latest.callsPerSecond();
        };
        samples.addLast(sample);
        while (samples.size() > STABLE_WINDOW_SECONDS) {
            samples.removeFirst();
        }
        long now = context.now().getEpochSecond();
        if (lastTick != Long.MIN_VALUE && now - lastTick < TICK_SECONDS) {
            return Decision.hold(Layer.L1, "KPA: scraped, next tick at " + (lastTick + TICK_SECONDS));
        }
        lastTick = now;
        int current = spec.instances();
        double ready = Math.max(1, latest == null ? 0 : latest.instances());
        double stable = meanOfLast(STABLE_WINDOW_SECONDS);
        double panic = meanOfLast(PANIC_WINDOW_SECONDS);
        double maxUp = Math.ceil(MAX_SCALE_UP_RATE * ready);
        double maxDown = Math.floor(ready / MAX_SCALE_DOWN_RATE);
        double stablePods = Math.ceil(stable / targetPerPod);
        double panicPods = Math.ceil(panic / targetPerPod);
        int desiredStable = (int) Math.min(Math.max(stablePods, maxDown), maxUp);
        int desiredPanic = (int) Math.min(Math.max(panicPods, maxDown), maxUp);
        boolean over = panicPods / ready >= PANIC_THRESHOLD;
        if (over) {
            if (!panicking()) {
                panicSince = now;
            }
            lastOverThreshold = now;
        } else if (panicking() && lastOverThreshold + STABLE_WINDOW_SECONDS < now) {
            panicSince = Long.MIN_VALUE;
            maxPanicPods = 0;
        }
        int desired = desiredStable;
        if (panicking()) {
            desired = Math.max(desiredStable, desiredPanic);
            maxPanicPods = Math.max(maxPanicPods, desired);
            desired = maxPanicPods;
        }
        desired = Math.max(spec.min(), Math.min(spec.max(), desired));
        String reasoning = "KPA: " + metric.name().toLowerCase(java.util.Locale.ROOT) + " stable " + HpaController.fmt(stable) + " panic "
                + HpaController.fmt(panic) + " for target " + HpaController.fmt(targetPerPod)
                + "/pod, ready " + (int) ready + (panicking() ? ", panic mode" : "") + ": " + desired;
        if (desired == current) {
            return Decision.hold(Layer.L1, reasoning);
        }
        return HpaController.change(spec, current, desired, reasoning);
    }

    private double meanOfLast(int seconds) {
        int n = Math.min(seconds, samples.size());
        double sum = 0;
        Iterator<Double> it = samples.descendingIterator();
        for (int i = 0; i < n; i++) {
            sum += it.next();
        }
        return n == 0 ? 0 : sum / n;
    }
}

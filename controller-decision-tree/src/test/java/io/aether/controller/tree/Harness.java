package io.aether.controller.tree;

import io.aether.core.control.ControlContext;
import io.aether.core.control.ControlContext.SliceSpec;
import io.aether.core.control.Decision;
import io.aether.core.metrics.ClusterMetricsSnapshot;
import io.aether.core.metrics.SliceMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drives one controller over one slice second by second: appends the second's metrics to a {@link FakeHistory},
 * builds the context, evaluates, and (when applying) sets the blueprint's instances to the decision.
 */
final class Harness {

    static final String ARTIFACT = "org.acme:cart:1.0";
    static final int SLO_P99_MS = 200;
    static final double SLO_ERROR_RATE = 0.01;
    /** Calls/s one instance of the model service serves at 100% CPU. */
    static final double CAPACITY = 100;

    final FakeHistory history = new FakeHistory(7200);
    DecisionTreeController controller;
    long second = 1_000_000;
    int instances;
    int min = 1;
    int max = 50;
    boolean apply = true;
    Decision last;

    Harness(TreeRules rules, int instances) {
        this.controller = new DecisionTreeController(rules);
        this.instances = instances;
    }

    /** One second of the model service at {@code load} calls/s on the current instances (instant start). */
    Decision load(double load) {
        return step(model(load, instances, 0, 0));
    }

    /** The model: completions capped at capacity, CPU = utilisation, p99 50 ms until saturated. */
    static SliceMetrics model(double load, int instances, double errorRate, int inFlight) {
        double capacity = instances * CAPACITY;
        double utilisation = capacity == 0 ? 1 : Math.min(1, load / capacity);
        double p99 = load <= capacity * 0.9 ? 50 : 50 + 2000 * (load / capacity - 0.9);
        return new SliceMetrics(ARTIFACT, Math.min(load, capacity), errorRate, 20, p99, inFlight, instances,
                utilisation);
    }

    /** Warms up {@code seconds} seconds at {@code load}. */
    Harness warm(int seconds, double load) {
        for (int i = 0; i < seconds; i++) {
            load(load);
        }
        return this;
    }

    Decision step(SliceMetrics metrics) {
        return step(metrics, Set.of());
    }

    Decision step(SliceMetrics metrics, Set<String> staleNodes) {
        history.append(second, metrics == null ? Map.of() : Map.of(ARTIFACT, metrics));
        ClusterMetricsSnapshot snapshot = new ClusterMetricsSnapshot(second, Map.of(),
                metrics == null ? Map.of() : Map.of(ARTIFACT, metrics), staleNodes);
        last = controller.evaluate(context(snapshot));
        if (apply) {
            for (Decision.ScaleChange change : last.changes()) {
                instances = change.toInstances();
            }
        }
        second++;
        return last;
    }

    ControlContext context(ClusterMetricsSnapshot snapshot) {
        return new ControlContext(Instant.ofEpochSecond(second), snapshot, history, List.of(), List.of(),
                Map.of(ARTIFACT, spec()), Map.of());
    }

    SliceSpec spec() {
        return new SliceSpec("shop/web", "shop", ARTIFACT, instances, min, max, SLO_P99_MS, SLO_ERROR_RATE);
    }
}

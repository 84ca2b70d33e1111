package io.aether.bench.autoscale;

import io.aether.core.control.Controller;
import io.aether.core.control.Layer;
import java.time.Clock;
import java.util.function.Function;

/**
 * An AI layer in a replayed chain: which layer it is, how often it runs on its own, and a fresh controller per run
 * over the run's simulated clock (its breaker, token budget and minimum interval run on simulated time).
 *
 * @param everySeconds simulated seconds between scheduled runs (counted from its last run, as the node's loop
 *                     does); 0 = only when the layer below escalates
 */
public record AiLayerEntry(Layer layer, int everySeconds, Function<Clock, Controller> factory) {

    public AiLayerEntry {
        if (layer != Layer.L2 && layer != Layer.L3) {
            throw new IllegalArgumentException("AI layer: " + layer + " is not L2 or L3");
        }
        if (everySeconds < 0) {
            throw new IllegalArgumentException("AI layer " + layer + ": every " + everySeconds + " s must be >= 0");
        }
    }
}

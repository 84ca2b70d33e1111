package io.aether.bench.autoscale;

import java.util.List;

/**
 * Layer 1 with its AI layers over one trace: the same figures as a single controller's run, what each AI layer did,
 * and how long the replay took on the wall clock.
 */
public record ChainResult(RunResult run, List<LayerStats> layers, long wallMillis) {

    public ChainResult {
        layers = List.copyOf(layers);
    }
}

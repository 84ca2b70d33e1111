package io.aether.bench.autoscale;

import io.aether.core.control.Controller;
import java.util.function.Supplier;

/**
 * A controller under test: its name in the report, how often the replay calls it, and a fresh instance per run
 * (controllers keep state between evaluations).
 */
public record ControllerEntry(String name, int periodSeconds, Supplier<Controller> factory) {

    public ControllerEntry {
        if (periodSeconds < 1) {
            throw new IllegalArgumentException("controller '" + name + "': period " + periodSeconds + " s must be >= 1");
        }
    }
}

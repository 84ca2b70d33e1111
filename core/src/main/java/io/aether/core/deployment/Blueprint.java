package io.aether.core.deployment;

import io.aether.core.slice.Artifact;
import java.util.List;
import java.util.Map;

/**
 * The desired state of one application, stored at {@code blueprints/{tenant}/{name}} (docs/runtime.md). Built by
 * {@link BlueprintCodec}, which validates every rule; a Blueprint in hand is valid on its own (conflicts with
 * other blueprints are {@link BlueprintConflicts}' business).
 */
public record Blueprint(String tenant, String name, List<Slice> slices) {

    public Blueprint {
        slices = List.copyOf(slices);
    }

    /** {@code tenant/name}, the blueprint's id in keys, events and errors. */
    public String id() {
        return tenant + "/" + name;
    }

    /** One slice of the blueprint: where and how many instances run, with what config, reached by which routes. */
    public record Slice(Artifact artifact, int instances, int min, int max, Slo slo, Map<String, String> config,
                        List<Route> routes) {
        public Slice {
            config = Map.copyOf(config);
            routes = List.copyOf(routes);
        }
    }

    /** The service level the controller keeps: p99 latency and error rate. */
    public record Slo(int p99Ms, double errorRate) {
        public static final Slo DEFAULT = new Slo(1000, 0.01);
    }

    /** An HTTP route to an entry point. */
    public record Route(String method, String path, String entry) {
    }
}

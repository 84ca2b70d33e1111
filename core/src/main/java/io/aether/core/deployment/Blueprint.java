package io.aether.core.deployment;

import io.aether.core.slice.Artifact;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

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

    /**
     * One slice of the blueprint: where and how many instances run, with what config, reached by which routes, and
     * how early its calls are shed when its governor says the slice is overloaded.
     */
    public record Slice(Artifact artifact, int instances, int min, int max, Slo slo, Map<String, String> config,
                        List<Route> routes, Priority priority) {
        public Slice {
            config = Map.copyOf(config);
            routes = List.copyOf(routes);
            Objects.requireNonNull(priority, "priority");
        }

        /** A copy with {@code instances}, {@code min} and {@code max} replaced; everything else kept. */
        public Slice withCounts(int instances, int min, int max) {
            return new Slice(artifact, instances, min, max, slo, config, routes, priority);
        }
    }

    /**
     * Admission priority of a slice's calls (docs/invocation.md "Admission control"): {@code LOW} is shed while the
     * slice's governor is degraded or refusing, {@code NORMAL} and {@code HIGH} only while it is refusing.
     */
    public enum Priority {
        HIGH, NORMAL, LOW;

        /** The name in blueprints and the API: {@code high}, {@code normal}, {@code low}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
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

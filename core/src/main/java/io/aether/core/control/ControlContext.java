package io.aether.core.control;

import io.aether.core.metrics.ClusterMetricsSnapshot;
import io.aether.core.metrics.MetricsHistory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a controller may look at, as read models (no machinery): the latest metrics second, the history
 * window, recent events and decisions, the topology, the slices the blueprints ask for, and the governors.
 *
 * @param slices    every slice of every blueprint, by versioned artifact
 * @param governors the governor state of each slice, by versioned artifact
 * @param below     the decision of the layer below when it escalated to the layer evaluating this context (empty for
 *                  L1 and for a scheduled run of an AI layer)
 */
public record ControlContext(Instant now, ClusterMetricsSnapshot latest, MetricsHistory history,
                             List<ControlEvent> recentEvents, List<NodeView> topology, Map<String, SliceSpec> slices,
                             Map<String, GovernorState> governors, Optional<Decision> below) {

    public ControlContext {
        recentEvents = List.copyOf(recentEvents);
        topology = List.copyOf(topology);
        slices = Map.copyOf(slices);
        governors = Map.copyOf(governors);
        Objects.requireNonNull(below, "below");
    }

    /** A context no layer escalated into. */
    public ControlContext(Instant now, ClusterMetricsSnapshot latest, MetricsHistory history,
                          List<ControlEvent> recentEvents, List<NodeView> topology, Map<String, SliceSpec> slices,
                          Map<String, GovernorState> governors) {
        this(now, latest, history, recentEvents, topology, slices, governors, Optional.empty());
    }

    /** This context as the next layer up sees it after {@code escalating} escalated. */
    public ControlContext escalatedBy(Decision escalating) {
        return new ControlContext(now, latest, history, recentEvents, topology, slices, governors,
                Optional.of(escalating));
    }

    /** One node as controllers see it. */
    public record NodeView(String nodeId, boolean core, boolean live, boolean drain) {
    }

    /**
     * One slice of a blueprint: what it asks for and the bounds every decision must keep.
     *
     * @param blueprint {@code tenant/name}
     */
    public record SliceSpec(String blueprint, String tenant, String artifact, int instances, int min, int max,
                            int sloP99Ms, double sloErrorRate) {
    }

    /** Something that happened recently (a node failed, a decision was applied, ...), newest last. */
    public record ControlEvent(Instant at, String type, String detail) {
    }

    public Optional<SliceSpec> slice(String artifact) {
        return Optional.ofNullable(slices.get(artifact));
    }
}

package io.aether.node;

import io.aether.core.cluster.ClusterEventBus;
import io.aether.core.cluster.NodeRecord;
import io.aether.core.cluster.NodeRegistry;
import io.aether.core.cluster.NodeRole;
import io.aether.core.cluster.SequencedEvent;
import io.aether.core.control.ControlContext;
import io.aether.core.control.ControlLoop;
import io.aether.core.control.ControlContext.SliceSpec;
import io.aether.core.deployment.Blueprint;
import io.aether.core.deployment.Blueprints;
import io.aether.core.metrics.ClusterMetricsSnapshot;
import io.aether.core.metrics.MetricsAggregator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The read models the control loop sees, answered from memory: the aggregator's latest second and window, the
 * membership, the blueprints' slices with their bounds and SLOs, and the recent cluster events.
 */
final class ControlReadModels {

    /** Recent events the controllers see. */
    static final int RECENT_EVENTS = 50;
    private static final ClusterMetricsSnapshot NO_METRICS = new ClusterMetricsSnapshot(0, Map.of(), Map.of(), Set.of());

    private final MetricsAggregator metrics;
    private final NodeRegistry registry;
    private final Blueprints blueprints;
    private final ClusterEventBus bus;

    ControlReadModels(MetricsAggregator metrics, NodeRegistry registry, Blueprints blueprints, ClusterEventBus bus) {
        this.metrics = metrics;
        this.registry = registry;
        this.blueprints = blueprints;
        this.bus = bus;
    }

    ControlLoop.ReadModels asReadModels() {
        return new ControlLoop.ReadModels(() -> metrics.latest().orElse(NO_METRICS), metrics::history,
                this::topology, this::slices, this::recentEvents);
    }

    private List<ControlContext.NodeView> topology() {
        List<ControlContext.NodeView> nodes = new ArrayList<>();
        for (NodeRecord n : registry.allNodes().values()) {
            nodes.add(new ControlContext.NodeView(n.nodeId(), n.role() == NodeRole.CORE, registry.isLive(n.nodeId()),
                    n.drain()));
        }
        return nodes;
    }

    private Map<String, SliceSpec> slices() {
        Map<String, SliceSpec> slices = new HashMap<>();
        for (Blueprint b : blueprints.all().values()) {
            for (Blueprint.Slice s : b.slices()) {
                slices.put(s.artifact().toString(), new SliceSpec(b.id(), b.tenant(), s.artifact().toString(),
                        s.instances(), s.min(), s.max(), s.slo().p99Ms(), s.slo().errorRate()));
            }
        }
        return slices;
    }

    private List<ControlContext.ControlEvent> recentEvents() {
        List<ControlContext.ControlEvent> events = new ArrayList<>();
        for (SequencedEvent e : bus.recent(RECENT_EVENTS)) {
            events.add(new ControlContext.ControlEvent(e.at(), e.event().getClass().getSimpleName(),
                    e.event().toString()));
        }
        return events;
    }
}

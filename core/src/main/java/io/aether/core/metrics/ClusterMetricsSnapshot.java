package io.aether.core.metrics;

import java.util.Map;
import java.util.Set;

/**
 * The cluster's load in one second, built by the leader's aggregator and broadcast to every node.
 *
 * @param epochSecond  the second it covers (leader clock)
 * @param nodes        every node that reported, by id
 * @param slices       every slice with instances, by versioned artifact
 * @param staleNodes   live nodes whose last report is older than the staleness bound
 */
public record ClusterMetricsSnapshot(long epochSecond, Map<String, NodeMetrics> nodes,
                                     Map<String, SliceMetrics> slices, Set<String> staleNodes) {

    public ClusterMetricsSnapshot {
        nodes = Map.copyOf(nodes);
        slices = Map.copyOf(slices);
        staleNodes = Set.copyOf(staleNodes);
    }

    /** True when some node's numbers are missing: controllers hold instead of scaling down. */
    public boolean hasStaleNodes() {
        return !staleNodes.isEmpty();
    }
}

package io.aether.core.metrics;

/**
 * One node's process over one second.
 *
 * @param cpu            process CPU utilisation 0..1 (of all the machine's cores)
 * @param reportedAtMs   the leader's clock when this node's update arrived; a node whose last report is older than
 *                       the staleness bound is stale and its numbers must not drive a scale-down
 */
public record NodeMetrics(String nodeId, double cpu, long heapUsedBytes, long heapMaxBytes, long reportedAtMs) {
}

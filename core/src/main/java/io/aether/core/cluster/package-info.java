/**
 * Cluster membership and leadership: {@link io.aether.core.cluster.NodeRegistry} (the {@code nodes/} heartbeat
 * lease), {@link io.aether.core.cluster.LeaderManager} (first live core node in sorted id order) and
 * {@link io.aether.core.cluster.ClusterEventBus} (what happened, for subscribers and the SSE stream).
 */
package io.aether.core.cluster;

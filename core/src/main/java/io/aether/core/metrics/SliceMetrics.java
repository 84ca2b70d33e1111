package io.aether.core.metrics;

/**
 * One slice's load over one second, summed over every node and instance (the leader's aggregate). Keyed by the
 * versioned artifact {@code group:artifact:version}.
 *
 * @param callsPerSecond calls that completed in the second
 * @param errorRate      failed calls / calls (0 when there were none)
 * @param p50Ms          median latency of the second's calls (0 when there were none)
 * @param p99Ms          99th percentile latency of the second's calls (0 when there were none)
 * @param inFlight       calls in flight at the end of the second
 * @param instances      ACTIVE instances reporting
 * @param cpu            mean CPU utilisation (0..1) of the nodes hosting the instances
 */
public record SliceMetrics(String artifact, double callsPerSecond, double errorRate, double p50Ms, double p99Ms,
                           int inFlight, int instances, double cpu) {
}

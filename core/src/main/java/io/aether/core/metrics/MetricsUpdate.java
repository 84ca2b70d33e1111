package io.aether.core.metrics;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one node measured over one second (its own clock), sent to the leader as frame 0x42.
 *
 * @param cpu        process CPU 0..1, or -1 when the JVM cannot tell
 * @param instances  ACTIVE local instances by versioned artifact
 * @param entries    per versioned artifact × entry point that ran calls (or still has some in flight)
 */
record MetricsUpdate(String nodeId, long epochSecond, double cpu, long heapUsedBytes, long heapMaxBytes,
                     Map<String, Integer> instances, List<EntryLoad> entries) {

    MetricsUpdate {
        instances = Map.copyOf(instances);
        entries = List.copyOf(entries);
    }

    /**
     * One entry point's calls that completed in the second.
     *
     * @param inFlight       calls running at the end of the second
     * @param latencyMicros  the second's completed calls (see {@link Latency}); owned by this record once built
     */
    record EntryLoad(String artifact, String entry, long calls, long errors, long totalNanos, int inFlight,
                     Histogram latencyMicros) {
    }
}

package io.aether.bench.load;

import org.HdrHistogram.Histogram;

/** What one load phase measured. */
public record LoadResult(String system, String phase, int concurrency, long operations, long errors, double seconds,
                  Histogram latencyMicros, long longestGapMs) {

    public double opsPerSecond() {
        return operations / seconds;
    }

    public double p(double percentile) {
        return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    public String line() {
        return String.format("%-6s %-7s clients=%-5d ops/s=%9.0f p50=%7.2f ms p99=%7.2f ms p99.9=%7.2f ms errors=%d"
                        + (longestGapMs >= 0 ? " longest-gap=%d ms" : "%s"), system, phase, concurrency,
                opsPerSecond(), p(50), p(99), p(99.9), errors, longestGapMs >= 0 ? longestGapMs : "");
    }
}

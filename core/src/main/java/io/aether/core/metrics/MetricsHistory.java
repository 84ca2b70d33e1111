package io.aether.core.metrics;

/**
 * A read-only view of the leader's metrics window: per slice, one sample per second for up to
 * {@link #capacitySeconds()} seconds (2 hours in production), oldest first. Series of a slice that did not exist
 * in a second read 0 there. Implementations keep primitive ring buffers; readers must not hold the arrays.
 */
public interface MetricsHistory {

    /** Which series of a slice. */
    enum Series { CALLS_PER_SECOND, ERROR_RATE, P99_MS, INSTANCES, CPU }

    int capacitySeconds();

    /** How many seconds are held (≤ capacity). */
    int sizeSeconds();

    /** The epoch second of the newest sample, or -1 when empty. */
    long newestSecond();

    /**
     * Copies the last {@code seconds} samples of {@code series} for {@code artifact} into {@code into} (oldest
     * first, at index 0) and returns how many were copied (fewer when the window holds fewer).
     */
    int copy(String artifact, Series series, int seconds, double[] into);
}

package io.aether.bench.autoscale;

/**
 * The simulated service and its SLO. Latency follows an M/M/1 queue per instance (load spread evenly): the mean
 * time in system is {@code baseLatencyMs / (1 - rho)}, and since that time is exponentially distributed the median
 * is {@code mean × ln 2} and the p99 {@code mean × ln 100} (≈ 4.6 × the mean). Load beyond capacity queues; the
 * queue holds at most {@code queueBoundSeconds} of the ready capacity and requests beyond it fail.
 *
 * @param capacityRps          requests/s at which one instance saturates (its CPU reads 100%)
 * @param baseLatencyMs        mean service time of one request on an idle instance
 * @param latencyCapMs         the client timeout: no reported latency exceeds it
 * @param queueBoundSeconds    seconds of ready capacity the queue holds before requests fail
 * @param startupDelaySeconds  seconds from a scale-up decision until a new instance serves
 * @param costPerInstanceHour  what one instance costs per hour, starting or ready
 * @param targetUtilisation    the utilisation every controller is configured to hold, and the basis of
 *                             "instances needed" for over-provisioning
 * @param min                  fewest instances (the slice's min)
 * @param max                  most instances (the slice's max)
 * @param sloP99Ms             the slice's latency SLO
 * @param sloErrorRate         the slice's error-rate SLO
 */
public record ServiceParams(double capacityRps, double baseLatencyMs, double latencyCapMs, double queueBoundSeconds,
                            int startupDelaySeconds, double costPerInstanceHour, double targetUtilisation, int min,
                            int max, int sloP99Ms, double sloErrorRate) {

    /** The highest utilisation the latency formula is evaluated at: a saturated instance's mean is 100 × base. */
    static final double RHO_CEILING = 0.99;
    static final double P50_MULTIPLE = Math.log(2);
    static final double P99_MULTIPLE = Math.log(100);

    public ServiceParams {
        require(capacityRps > 0, "capacityRps " + capacityRps + " must be > 0");
        require(baseLatencyMs > 0, "baseLatencyMs " + baseLatencyMs + " must be > 0");
        require(latencyCapMs >= baseLatencyMs, "latencyCapMs " + latencyCapMs + " must be >= baseLatencyMs");
        require(queueBoundSeconds >= 0, "queueBoundSeconds " + queueBoundSeconds + " must be >= 0");
        require(startupDelaySeconds >= 0, "startupDelaySeconds " + startupDelaySeconds + " must be >= 0");
        require(targetUtilisation > 0 && targetUtilisation < 1,
                "targetUtilisation " + targetUtilisation + " must be in (0, 1)");
        require(min >= 1 && min <= max, "min " + min + " must be >= 1 and <= max " + max);
        require(sloP99Ms > 0, "sloP99Ms " + sloP99Ms + " must be > 0");
    }

    /**
     * 100 requests/s per instance, 20 ms mean service time, 10 s timeout, 2 s of queue, 30 s start-up (a JVM
     * service with a readiness probe), $0.04 per instance-hour, 70% target, 2..60 instances, SLO p99 500 ms and 1%
     * errors. At 70% utilisation the p99 is ≈ 307 ms; the SLO breaks above ≈ 81.6%.
     */
    public static ServiceParams defaults() {
        return new ServiceParams(100, 20, 10_000, 2, 30, 0.04, 0.7, 2, 60, 500, 0.01);
    }

    /** Mean time in system at utilisation {@code rho}, in ms. */
    double meanLatencyMs(double rho) {
        return baseLatencyMs / (1 - Math.min(rho, RHO_CEILING));
    }

    /** Requests in flight on one instance served at utilisation {@code rho} (Little's law). */
    double inFlightPerInstance(double rho) {
        return rho * capacityRps * meanLatencyMs(rho) / 1000;
    }

    /** Instances that serve {@code offeredRps} at the target utilisation, within min..max. */
    int instancesNeeded(double offeredRps) {
        int needed = (int) Math.ceil(offeredRps / (capacityRps * targetUtilisation) - 1e-9);
        return Math.max(min, Math.min(max, needed));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("service params: " + message);
        }
    }
}

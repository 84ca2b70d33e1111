package io.aether.bench.autoscale;

import java.util.ArrayDeque;

/**
 * The simulated service, one second per {@link #step}: ready instances serve, starting ones cost but do not serve
 * until their start-up delay has passed, load beyond capacity queues up to the bound and fails beyond it. Not
 * thread-safe: one replay owns one model.
 */
public final class ServiceModel {

    private final ServiceParams params;
    /** The second at which each starting instance becomes ready, oldest first (all share one delay: sorted). */
    private final ArrayDeque<Long> startingReadyAt = new ArrayDeque<>();
    private int ready;
    private double backlog;
    private long second;

    public ServiceModel(ServiceParams params, int initialReady) {
        if (initialReady < 0) {
            throw new IllegalArgumentException("initial instances " + initialReady + " must be >= 0");
        }
        this.params = params;
        this.ready = initialReady;
    }

    /** Instances that serve. */
    public int ready() {
        return ready;
    }

    /** Instances started but not serving yet. */
    public int starting() {
        return startingReadyAt.size();
    }

    /** What the blueprint asks for: ready plus starting, every one of them paid for. */
    public int instances() {
        return ready + startingReadyAt.size();
    }

    /**
     * Sets the instance count after the current second: new instances serve after the start-up delay; a scale-down
     * removes starting instances first (newest first), then ready ones.
     */
    public void scaleTo(int target) {
        if (target < 0) {
            throw new IllegalArgumentException("target instances " + target + " must be >= 0");
        }
        while (instances() < target) {
            startingReadyAt.addLast(second + params.startupDelaySeconds());
        }
        while (instances() > target) {
            if (!startingReadyAt.isEmpty()) {
                startingReadyAt.removeLast();
            } else {
                ready--;
            }
        }
    }

    /** Serves one second of {@code offeredRps} and returns what it looked like. */
    public Second step(double offeredRps) {
        if (!(offeredRps >= 0) || Double.isInfinite(offeredRps)) {
            throw new IllegalArgumentException("offered load " + offeredRps + " must be a finite number >= 0");
        }
        while (!startingReadyAt.isEmpty() && startingReadyAt.peekFirst() <= second) {
            startingReadyAt.removeFirst();
            ready++;
        }
        double capacity = ready * params.capacityRps();
        double available = backlog + offeredRps;
        double served = Math.min(available, capacity);
        double waiting = available - served;
        double failed = Math.max(0, waiting - capacity * params.queueBoundSeconds());
        backlog = waiting - failed;
        double rho = capacity > 0 ? served / capacity : 0;
        double meanMs = params.meanLatencyMs(rho);
        double waitMs = capacity > 0 ? backlog / capacity * 1000 : 0;
        double p50Ms = served > 0 ? Math.min(params.latencyCapMs(), meanMs * ServiceParams.P50_MULTIPLE + waitMs) : 0;
        double p99Ms = served > 0 ? Math.min(params.latencyCapMs(), meanMs * ServiceParams.P99_MULTIPLE + waitMs) : 0;
        double calls = served + failed;
        double errorRate = calls > 0 ? failed / calls : 0;
        double inFlight = served * meanMs / 1000 + backlog;
        Second result = new Second(second, offeredRps, served, failed, errorRate, p50Ms, p99Ms, inFlight, rho, ready,
                startingReadyAt.size());
        second++;
        return result;
    }

    /**
     * One simulated second.
     *
     * @param utilisation served / ready capacity, 0..1: the CPU each ready instance reads (at most 100%)
     * @param inFlight    requests in service or queued at the end of the second
     */
    public record Second(long second, double offeredRps, double servedRps, double failedRps, double errorRate,
                         double p50Ms, double p99Ms, double inFlight, double utilisation, int ready, int starting) {

        public int instances() {
            return ready + starting;
        }
    }
}

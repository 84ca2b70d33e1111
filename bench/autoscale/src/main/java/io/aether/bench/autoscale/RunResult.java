package io.aether.bench.autoscale;

/**
 * One controller over one trace.
 *
 * @param sloViolationSeconds         seconds whose p99 exceeded the SLO or whose error rate exceeded the SLO
 * @param overProvisionedInstanceSeconds instance-seconds above the instances needed to serve that second's offered
 *                                    load at the target utilisation (never below min)
 * @param instanceSeconds             instance-seconds paid for, starting or ready
 * @param scalingActions              applied changes of the instance count
 * @param oscillations                applied changes that reversed the previous one's direction within the window
 */
public record RunResult(String trace, String controller, int seconds, long sloViolationSeconds,
                        long overProvisionedInstanceSeconds, long instanceSeconds, double cost, int scalingActions,
                        int oscillations, int peakInstances) {
}

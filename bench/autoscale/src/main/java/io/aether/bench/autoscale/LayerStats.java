package io.aether.bench.autoscale;

import io.aether.core.control.Layer;
import java.util.Optional;

/**
 * What one AI layer did over one replay.
 *
 * @param evaluations     times the layer was asked (scheduled or escalated), calls or not
 * @param modelCalls      evaluations that reached the model (the others held: minimum interval, budget, breaker)
 * @param inputTokens     prompt tokens the endpoint reported
 * @param outputTokens    answer tokens the endpoint reported
 * @param latencyMsP99    99th percentile of the wall time of the evaluations that called the model (simulated time
 *                        stands still during a call)
 * @param latencyMsMax    the slowest of them
 * @param failedCalls     calls that produced no decision: the answer was refused by the parser, or the call failed
 * @param appliedChanges  instance-count changes of the layer the guardrails let through and the replay applied
 * @param refusedChanges  changes of the layer the guardrails rejected (step, cooldown, rate, bounds, no change, ...)
 * @param escalations     decisions of the layer that asked the layer above
 * @param firstFailure    the first failed call's message, to see what went wrong
 */
public record LayerStats(Layer layer, int evaluations, int modelCalls, long inputTokens, long outputTokens,
                         long latencyMsP99, long latencyMsMax, int failedCalls, int appliedChanges,
                         int refusedChanges, int escalations, Optional<String> firstFailure) {
}

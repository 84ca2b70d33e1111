package io.aether.controller.ai;

import java.time.Duration;
import java.util.Objects;

/**
 * How one AI layer calls its model ({@code aether.controller.l2.*} / {@code aether.controller.l3.*}).
 *
 * @param modelName               what receipts name ({@code ollama:qwen2.5:0.5b}); the model itself is the
 *                                {@code ChatModel} passed in
 * @param timeout                 an answer later than this is discarded and counts as a failure
 * @param breakerFailureThreshold consecutive failed calls that open the circuit
 * @param breakerOpenFor          how long an open circuit refuses calls before one trial call
 * @param tokenBudgetPerHour      tokens (in + out) the layer may spend in any sliding hour; once spent it holds
 * @param maxOutputTokens         the answer's token limit sent with every request
 * @param minInterval             the least time between two calls (the loop asks on every escalation from below)
 * @param maxSlices               slices the summary shows at most (the most pressed first)
 * @param maxEvents               recent events the summary shows at most (the newest)
 */
public record ModelSettings(String modelName, Duration timeout, int breakerFailureThreshold, Duration breakerOpenFor,
                            long tokenBudgetPerHour, int maxOutputTokens, Duration minInterval, int maxSlices,
                            int maxEvents) {

    public ModelSettings {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(breakerOpenFor, "breakerOpenFor");
        Objects.requireNonNull(minInterval, "minInterval");
    }

    /**
     * Throws {@link IllegalArgumentException} naming the first field out of range, under {@code prefix}
     * ({@code aether.controller.l2: timeout PT0S must be positive}).
     */
    public ModelSettings validate(String prefix) {
        require(!modelName.isBlank(), prefix, "modelName must not be blank");
        require(timeout.compareTo(Duration.ofMillis(1)) >= 0, prefix, "timeout " + timeout + " must be positive");
        require(breakerFailureThreshold >= 1, prefix, "breakerFailureThreshold " + breakerFailureThreshold
                + " must be at least 1");
        require(breakerOpenFor.compareTo(Duration.ofMillis(1)) >= 0, prefix, "breakerOpenFor " + breakerOpenFor
                + " must be positive");
        require(tokenBudgetPerHour >= 1, prefix, "tokenBudgetPerHour " + tokenBudgetPerHour
                + " must be at least 1");
        require(maxOutputTokens >= 16 && maxOutputTokens <= 32_768, prefix, "maxOutputTokens " + maxOutputTokens
                + " must be within 16 .. 32768");
        require(!minInterval.isNegative(), prefix, "minInterval " + minInterval + " must not be negative");
        require(maxSlices >= 1 && maxSlices <= 200, prefix, "maxSlices " + maxSlices + " must be within 1 .. 200");
        require(maxEvents >= 0 && maxEvents <= 100, prefix, "maxEvents " + maxEvents + " must be within 0 .. 100");
        return this;
    }

    private static void require(boolean ok, String prefix, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(prefix + ": " + problem);
        }
    }
}

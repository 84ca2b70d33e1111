package io.aether.controller.ai;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Optional;

/**
 * Closed → open after {@code threshold} consecutive failures → half-open once {@code openForMs} passed, letting one
 * trial call through → closed on its success, open again on its failure. Time is passed in (milliseconds of the
 * layer's clock), so tests drive it. Every transition is logged.
 */
final class CircuitBreaker {

    private static final System.Logger LOG = System.getLogger(CircuitBreaker.class.getName());

    private final String name;
    private final int threshold;
    private final long openForMs;
    private BreakerState state = BreakerState.CLOSED;
    private int consecutiveFailures;
    private long openUntilMs;
    private boolean trialInFlight;
    private String lastFailure = "";

    CircuitBreaker(String name, int threshold, long openForMs) {
        this.name = name;
        this.threshold = threshold;
        this.openForMs = openForMs;
    }

    /** Empty when a call may go now (in half-open: the one trial); else why not. */
    synchronized Optional<String> refusal(long nowMs) {
        if (state == BreakerState.OPEN && nowMs >= openUntilMs) {
            transition(BreakerState.HALF_OPEN, "open period over; one trial call");
        }
        if (state == BreakerState.OPEN) {
            return Optional.of("circuit open until " + Instant.ofEpochMilli(openUntilMs) + " after "
                    + consecutiveFailures + " consecutive failures (last: " + lastFailure + ")");
        }
        if (state == BreakerState.HALF_OPEN) {
            if (trialInFlight) {
                return Optional.of("circuit half-open: the trial call is still in flight");
            }
            trialInFlight = true;
        }
        return Optional.empty();
    }

    synchronized void success() {
        consecutiveFailures = 0;
        trialInFlight = false;
        if (state != BreakerState.CLOSED) {
            transition(BreakerState.CLOSED, "call succeeded");
        }
    }

    synchronized void failure(long nowMs, String why) {
        consecutiveFailures++;
        lastFailure = Text.cap(why, 200);
        trialInFlight = false;
        if (state == BreakerState.HALF_OPEN || (state == BreakerState.CLOSED && consecutiveFailures >= threshold)) {
            openUntilMs = nowMs + openForMs;
            transition(BreakerState.OPEN, consecutiveFailures + " consecutive failures, open until "
                    + Instant.ofEpochMilli(openUntilMs) + " (last: " + lastFailure + ")");
        }
    }

    synchronized BreakerState state() {
        return state;
    }

    private void transition(BreakerState to, String why) {
        LOG.log(to == BreakerState.OPEN ? Level.WARNING : Level.INFO,
                "circuit breaker of " + name + ": " + state + " -> " + to + ": " + why);
        state = to;
    }
}

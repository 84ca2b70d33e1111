package io.aether.core.net;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": attempt n waits a uniform delay in [d/2, d] with
 * d = min(max, initial * 2^n), so nodes that lost a peer together do not redial in lockstep. Not thread-safe:
 * each dialer owns one and uses it on its event loop.
 */
final class Backoff {
    private static final int MAX_DOUBLINGS = 30;
    private final long initialMs;
    private final long maxMs;
    private int attempt;

    Backoff(Duration initial, Duration max) {
        this.initialMs = Math.max(1, initial.toMillis());
        this.maxMs = Math.max(initialMs, max.toMillis());
    }

    /** The delay before the next attempt; each call doubles the ceiling until it reaches the maximum. */
    long nextDelayMs() {
        long ceiling = Math.min(maxMs, initialMs << Math.min(attempt, MAX_DOUBLINGS));
        if (ceiling < maxMs) {
            attempt++;
        }
        long floor = ceiling / 2;
        return floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1);
    }

    /** Called once a connection completes its handshake. */
    void reset() {
        attempt = 0;
    }
}

package io.aether.bench.autoscale;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the replay moves: the guardrails' cooldowns and rates and the AI layers' breaker, token budget and
 * minimum interval run on simulated seconds. It stands still while a controller evaluates.
 */
final class SimulatedClock extends Clock {

    private volatile Instant now = Instant.EPOCH;

    void set(Instant instant) {
        now = instant;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}

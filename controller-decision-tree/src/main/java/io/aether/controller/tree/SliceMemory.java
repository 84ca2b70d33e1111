package io.aether.controller.tree;

import java.util.Optional;

/**
 * What L1 remembers about one slice between evaluations: when it last scaled it either way (its own decisions
 * and changes it saw others make to the blueprint; a scale-down the guardrails refused is forgotten), when it first
 * saw the slice (until a cooldown has passed, its memory is incomplete), and the in-flight count and demand of the last two seconds it
 * saw (the in-flight change turns completions into arrivals, and the previous arrivals cap a second whose active
 * count changed; the lower demand of the two is what requested
 * instances must cover while they start), when the active count last changed (the backlog grace), and the arrivals
 * per second of the window ({@link ArrivalRing}). Everything else is read from
 * the context each second.
 */
final class SliceMemory {

    static final long NEVER = Long.MIN_VALUE / 4;

    /** The seasonal period last found (empty: none), and when: periods are re-checked once a minute. */
    Optional<Predictor.Period> period = Optional.empty();
    long periodCheckedSecond = NEVER;

    /** Sized to the metrics window on first use. */
    ArrivalRing arrivals;

    /** The first second L1 saw the slice: before a cooldown has passed since, its own memory is incomplete. */
    long firstSeenSecond = NEVER;
    long lastUpSecond = NEVER;
    long lastDownSecond = NEVER;
    /** When L1 last scaled down to a steady stabilisation window's mean: the utilisation rule then reads it too. */
    long steadyDownSecond = NEVER;
    /** When the count of active (serving) instances last changed. */
    long activeChangedSecond = NEVER;
    private int lastActive = -1;
    /** A scale-down L1 decided and has not yet seen in the blueprint, and the last scale-down before it. */
    private long downDecidedSecond = NEVER;
    private long downBefore = NEVER;
    private int lastSeenInstances = -1;
    private int requestedInstances = -1;
    private long second = NEVER;
    private int inFlight;
    private double demand;
    private double lastArrivals;
    private long previousSecond = NEVER;
    private int previousInFlight;
    private double previousDemand;
    private double previousArrivals;

    /** Notes the blueprint's instance count; a change L1 did not ask for counts as a scale at {@code now}. */
    void observe(int instances, long now) {
        if (firstSeenSecond == NEVER) {
            firstSeenSecond = now;
        }
        if (lastSeenInstances >= 0 && instances != lastSeenInstances && instances != requestedInstances) {
            if (instances > lastSeenInstances) {
                lastUpSecond = now;
            } else {
                lastDownSecond = now;
            }
        }
        if (downDecidedSecond != NEVER && now > downDecidedSecond) {
            if (instances == requestedInstances) {
                lastDownSecond = Math.max(lastDownSecond, downDecidedSecond);
                downDecidedSecond = NEVER;
            } else if (instances == lastSeenInstances) {
                // The guardrails refused the scale-down: it changed nothing, so it starts no cooldown.
                lastDownSecond = downBefore;
                downDecidedSecond = NEVER;
            }
        }
        lastSeenInstances = instances;
    }

    /** Notes the active instance count; a change restarts {@link #activeChangedSecond}. */
    void observeActive(int active, long now) {
        if (active != lastActive) {
            activeChangedSecond = lastActive < 0 ? NEVER : now;
            lastActive = active;
        }
    }

    void decided(int from, int to, long now) {
        if (to > from) {
            lastUpSecond = now;
        } else {
            if (downDecidedSecond == NEVER) {
                downBefore = lastDownSecond;
            }
            downDecidedSecond = now;
            lastDownSecond = now;
        }
        requestedInstances = to;
    }

    /** Records this second's sample; evaluating the same second again keeps the one before it as previous. */
    void sample(long now, int inFlightNow, double demandNow, double arrivalsNow) {
        if (now != second) {
            previousSecond = second;
            previousInFlight = inFlight;
            previousDemand = demand;
            previousArrivals = lastArrivals;
            second = now;
        }
        inFlight = inFlightNow;
        demand = demandNow;
        lastArrivals = arrivalsNow;
    }

    /** Whether {@link #sample} saw {@code now - 1} (before or at {@code now}). */
    boolean hasPrevious(long now) {
        return (now == second ? previousSecond : second) == now - 1;
    }

    int previousInFlight(long now) {
        return now == second ? previousInFlight : inFlight;
    }

    double previousDemand(long now) {
        return now == second ? previousDemand : demand;
    }

    double previousArrivals(long now) {
        return now == second ? previousArrivals : lastArrivals;
    }

    long lastChangeSecond() {
        return Math.max(lastUpSecond, lastDownSecond);
    }
}

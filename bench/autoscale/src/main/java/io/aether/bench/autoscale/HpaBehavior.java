package io.aether.bench.autoscale;

import java.util.ArrayDeque;

/**
 * The Kubernetes HPA's replica calculation after the metric (autoscaling/v2, default {@code behavior}), shared by
 * the HPA and by KEDA, which hands its metric to an HPA.
 * <ul>
 *   <li>Tolerance: a usage ratio within 10% of 1.0 keeps the current count.</li>
 *   <li>Stabilisation: every sync's raw recommendation is remembered; a scale-down goes no lower than the highest
 *       recommendation of the last 300 s, a scale-up has no window (the default scale-up window is 0).</li>
 *   <li>Rate: scale-up may add at most the larger of 4 pods or 100% of the pods present at the start of the last
 *       15 s; scale-down may remove up to 100% of them per 15 s. Replicas added or removed inside the period count
 *       against it.</li>
 *   <li>The result is clamped to min..max.</li>
 * </ul>
 */
final class HpaBehavior {

    static final double TOLERANCE = 0.1;
    static final int DOWN_STABILISATION_SECONDS = 300;
    static final int POLICY_PERIOD_SECONDS = 15;
    static final int UP_PODS = 4;
    static final double UP_PERCENT = 100;
    static final double DOWN_PERCENT = 100;
    /** A recommendation and a scale event per sync at most; 300 s of 15 s syncs is 20: the bound is generous. */
    private static final int MAX_REMEMBERED = 1024;

    /** {epochSecond, replicas} */
    private final ArrayDeque<long[]> recommendations = new ArrayDeque<>();
    /** {epochSecond, delta} */
    private final ArrayDeque<long[]> scaleEvents = new ArrayDeque<>();

    /** True when {@code usageRatio} is close enough to 1 that the HPA keeps the current count. */
    static boolean withinTolerance(double usageRatio) {
        return Math.abs(1.0 - usageRatio) <= TOLERANCE;
    }

    /** The count the HPA sets, given the metric's raw recommendation {@code proposed}. */
    int normalize(long now, int current, int proposed, int min, int max) {
        int stabilised = stabilise(now, current, proposed);
        int desired;
        if (stabilised > current) {
            int periodStart = current - (int) sumEvents(now, true);
            int limit = (int) Math.max(periodStart + UP_PODS, Math.ceil(periodStart * (1 + UP_PERCENT / 100)));
            limit = Math.max(limit, current);
            desired = Math.min(stabilised, Math.min(max, limit));
        } else if (stabilised < current) {
            int periodStart = current + (int) -sumEvents(now, false);
            int limit = (int) (periodStart * (1 - DOWN_PERCENT / 100));
            limit = Math.min(limit, current);
            desired = Math.max(stabilised, Math.max(min, limit));
        } else {
            desired = current;
        }
        desired = Math.max(min, Math.min(max, desired));
        if (desired != current) {
            scaleEvents.addLast(new long[] {now, desired - current});
            trim(scaleEvents);
        }
        return desired;
    }

    private int stabilise(long now, int current, int proposed) {
        long cutoff = now - DOWN_STABILISATION_SECONDS;
        while (!recommendations.isEmpty() && recommendations.peekFirst()[0] <= cutoff) {
            recommendations.removeFirst();
        }
        long down = proposed;
        for (long[] rec : recommendations) {
            down = Math.max(down, rec[1]);
        }
        recommendations.addLast(new long[] {now, proposed});
        trim(recommendations);
        int recommendation = Math.max(current, proposed);
        return (int) Math.min(recommendation, down);
    }

    /** Replicas added (up) or removed (negative, down) by scale events strictly inside the last period. */
    private long sumEvents(long now, boolean up) {
        long cutoff = now - POLICY_PERIOD_SECONDS;
        while (!scaleEvents.isEmpty() && scaleEvents.peekFirst()[0] <= cutoff) {
            scaleEvents.removeFirst();
        }
        long sum = 0;
        for (long[] event : scaleEvents) {
            if (up == event[1] > 0) {
                sum += event[1];
            }
        }
        return sum;
    }

    private static void trim(ArrayDeque<long[]> deque) {
        while (deque.size() > MAX_REMEMBERED) {
            deque.removeFirst();
        }
    }
}

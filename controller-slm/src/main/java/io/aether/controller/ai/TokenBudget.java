package io.aether.controller.ai;

import java.time.Instant;
import java.util.Optional;

/**
 * Tokens spent in the last hour, in 60 one-minute buckets (a fixed bound, whatever the call rate). A call starts
 * only while the hour's total is below the budget, so the budget can be overshot by at most one call's tokens.
 */
final class TokenBudget {

    private static final int MINUTES = 60;

    private final long perHour;
    private final long[] tokens = new long[MINUTES];
    private final long[] minuteOf = new long[MINUTES];

    TokenBudget(long perHour) {
        this.perHour = perHour;
        java.util.Arrays.fill(minuteOf, Long.MIN_VALUE);
    }

    synchronized void add(long nowMs, long n) {
        long minute = Math.floorDiv(nowMs, 60_000L);
        int slot = (int) Math.floorMod(minute, (long) MINUTES);
        if (minuteOf[slot] != minute) {
            minuteOf[slot] = minute;
            tokens[slot] = 0;
        }
        tokens[slot] += n;
    }

    synchronized long spent(long nowMs) {
        long minute = Math.floorDiv(nowMs, 60_000L);
        long sum = 0;
        for (int i = 0; i < MINUTES; i++) {
            if (minuteOf[i] > minute - MINUTES && minuteOf[i] <= minute) {
                sum += tokens[i];
            }
        }
        return sum;
    }

    /** Empty while calls may go; else why not and when they may again. */
    synchronized Optional<String> refusal(long nowMs) {
        long spent = spent(nowMs);
        if (spent < perHour) {
            return Optional.empty();
        }
        long minute = Math.floorDiv(nowMs, 60_000L);
        long left = spent;
        long reopens = minute + 1;
        for (long m = minute - MINUTES + 1; m <= minute && left >= perHour; m++) {
            int slot = (int) Math.floorMod(m, (long) MINUTES);
            if (minuteOf[slot] == m) {
                left -= tokens[slot];
            }
            reopens = m + MINUTES;
        }
        return Optional.of("token budget spent: " + spent + " tokens in the last hour, budget " + perHour
                + "; calls resume at " + Instant.ofEpochMilli(reopens * 60_000L));
    }
}

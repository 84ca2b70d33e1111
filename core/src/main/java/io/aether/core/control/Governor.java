package io.aether.core.control;

import java.time.Instant;
import java.util.Optional;

/**
 * One slice's governor (DESIGN §8): a state machine fed one SLO signal a second. Each second the signal names a
 * target state:
 * <ul>
 *   <li>{@code STABLE}: p99 ≤ 80% of the SLO and error rate ≤ half the SLO;</li>
 *   <li>{@code WARNING}: above that, within the SLO;</li>
 *   <li>{@code INTERVENING}: SLO breached while a scale-up is in progress (more instances asked than serving);</li>
 *   <li>{@code DEGRADED}: SLO breached and no scale-up in progress;</li>
 *   <li>{@code REFUSING}: p99 above {@code refuseFactor} × SLO or error rate above {@code refuseFactor} × the
 *       error SLO, with no scale-up in progress — more capacity is not coming, so admission must shed load.</li>
 * </ul>
 * Hysteresis: the governor escalates after {@code escalateSeconds} consecutive seconds whose target is above its
 * state (to the lowest of those targets, so one bad second cannot jump it to refusing) and recovers after
 * {@code recoverSeconds} consecutive seconds below (to the highest of those targets). {@code BOOT} moves to the
 * lowest target of its first {@code escalateSeconds} seconds with instances serving. A scale-up counts as in
 * progress for {@code settleSeconds} after the last second it was: the new instances first drain the backlog the
 * old ones built, and shedding calls then (while the capacity is there) would only turn latency into errors. Not
 * thread-safe: the control loop owns it.
 */
final class Governor {

    /** The thresholds of every governor. */
    record Policy(int escalateSeconds, int recoverSeconds, double warnFraction, double refuseFactor,
                  int settleSeconds) {
        static Policy defaults() {
            return new Policy(3, 10, 0.8, 2.0, 15);
        }

        Policy {
            if (escalateSeconds < 1 || recoverSeconds < 1 || warnFraction <= 0 || warnFraction > 1
                    || refuseFactor < 1 || settleSeconds < 0) {
                throw new IllegalArgumentException("governor policy: escalateSeconds " + escalateSeconds
                        + " and recoverSeconds " + recoverSeconds + " must be >= 1, warnFraction " + warnFraction
                        + " within (0, 1], refuseFactor " + refuseFactor + " >= 1, settleSeconds "
                        + settleSeconds + " >= 0");
            }
        }
    }

    /** One second's SLO signal. */
    record Signal(double p99Ms, double errorRate, int sloP99Ms, double sloErrorRate, boolean scalingUp) {
    }

    /** A change of state, with the signal that caused it. */
    record Transition(String artifact, GovernorState from, GovernorState to, String why, Instant at) {
    }

    private final String artifact;
    private final Policy policy;
    private GovernorState state = GovernorState.BOOT;
    private String why = "no metrics yet";
    /** Consecutive seconds pushing up (> 0) or down (< 0), and the bound target over them. */
    private int streak;
    private GovernorState streakTarget;
    /** The last second a scale-up was in progress; null before the first. */
    private Instant lastScalingUp;

    Governor(String artifact, Policy policy) {
        this.artifact = artifact;
        this.policy = policy;
    }

    GovernorState state() {
        return state;
    }

    String why() {
        return why;
    }

    /** Feeds one second; answers the transition when the state changed. */
    Optional<Transition> observe(Signal signal, Instant at) {
        if (signal.scalingUp()) {
            lastScalingUp = at;
        }
        boolean settling = !signal.scalingUp() && lastScalingUp != null
                && at.isBefore(lastScalingUp.plusSeconds(policy.settleSeconds()));
        Signal s = settling ? new Signal(signal.p99Ms(), signal.errorRate(), signal.sloP99Ms(), signal.sloErrorRate(),
                true) : signal;
        GovernorState target = target(s);
        String reason = describe(s, target);
        if (state == GovernorState.BOOT || target.compareTo(state) > 0) {
            streak = streak > 0 ? streak + 1 : 1;
            streakTarget = streak == 1 ? target : min(streakTarget, target);
            if (streak >= policy.escalateSeconds()) {
                return move(streakTarget, policy.escalateSeconds() + " s: " + reason, at);
            }
        } else if (target.compareTo(state) < 0) {
            streak = streak < 0 ? streak - 1 : -1;
            streakTarget = streak == -1 ? target : max(streakTarget, target);
            if (-streak >= policy.recoverSeconds()) {
                return move(streakTarget, policy.recoverSeconds() + " s: " + reason, at);
            }
        } else {
            streak = 0;
        }
        return Optional.empty();
    }

    private Optional<Transition> move(GovernorState to, String reason, Instant at) {
        GovernorState from = state;
        state = to;
        why = reason;
        streak = 0;
        return from == to ? Optional.empty() : Optional.of(new Transition(artifact, from, to, reason, at));
    }

    GovernorState target(Signal s) {
        boolean latencyBreach = s.p99Ms() > s.sloP99Ms();
        boolean errorBreach = s.errorRate() > s.sloErrorRate();
        if (latencyBreach || errorBreach) {
            if (s.scalingUp()) {
                return GovernorState.INTERVENING;
            }
            boolean severe = s.p99Ms() > policy.refuseFactor() * s.sloP99Ms()
                    || s.errorRate() > policy.refuseFactor() * s.sloErrorRate();
            return severe ? GovernorState.REFUSING : GovernorState.DEGRADED;
        }
        if (s.p99Ms() > policy.warnFraction() * s.sloP99Ms() || s.errorRate() > s.sloErrorRate() / 2) {
            return GovernorState.WARNING;
        }
        return GovernorState.STABLE;
    }

    private static String describe(Signal s, GovernorState target) {
        return String.format(java.util.Locale.ROOT, "p99 %.0f ms vs SLO %d ms, errors %.4f vs SLO %.4f%s -> %s",
                s.p99Ms(), s.sloP99Ms(), s.errorRate(), s.sloErrorRate(), s.scalingUp() ? ", scaling up" : "",
                target.name().toLowerCase(java.util.Locale.ROOT));
    }

    private static GovernorState min(GovernorState a, GovernorState b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static GovernorState max(GovernorState a, GovernorState b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}

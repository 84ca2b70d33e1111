package io.aether.controller.tree;

import static io.aether.controller.tree.Numbers.f0;
import static io.aether.controller.tree.Numbers.f2;
import static io.aether.controller.tree.Numbers.pct;

import io.aether.core.control.ControlContext;
import io.aether.core.control.ControlContext.SliceSpec;
import io.aether.core.control.Controller;
import io.aether.core.control.Decision;
import io.aether.core.control.Decision.Escalation;
import io.aether.core.control.Decision.Escalation.Reason;
import io.aether.core.control.Decision.ScaleChange;
import io.aether.core.control.Layer;
import io.aether.core.metrics.ClusterMetricsSnapshot;
import io.aether.core.metrics.MetricsHistory;
import io.aether.core.metrics.SliceMetrics;
import io.aether.controller.tree.Predictor.Prediction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Layer 1: the deterministic decision tree the cluster can live on alone (docs/controller-l1.md). Each second,
 * per slice: hold on stale metrics; otherwise size the slice for its demand (utilisation, latency, in-flight,
 * error-rate and predictive rules; the largest wins, within the step limit, the scale-up cooldown and the
 * blueprint's max), or — when utilisation sits below the hysteresis band — scale down to what the stabilisation
 * window's peak needs, after the scale-down cooldown. Every decision names its rule and numbers, and may escalate.
 *
 * <p>Time is the context's {@code now}; given the same sequence of contexts it decides the same. It keeps per slice
 * only its last scale times, the last two seconds' in-flight count and demand, when the active count last changed,
 * the seasonal period last found and the arrivals per second ({@link SliceMemory}); slices that leave the context
 * are forgotten. The window is read into arrays allocated once. One evaluation at a time (evaluate is synchronized).
 */
public final class DecisionTreeController implements Controller {

    /** CPU at which an instance counts as saturated. */
    private static final double SATURATED_CPU = 0.9;
    /**
     * Seconds the latency and in-flight rules wait after the active count changed: new instances first drain the
     * backlog the old ones built, and that backlog's latency is not a capacity shortage.
     */
    private static final int BACKLOG_GRACE_SECONDS = 5;
    /** The latency rule needs the p99 above the SLO for this many seconds in a row: one slow second is noise. */
    private static final int LATENCY_SUSTAIN_SECONDS = 3;
    /** The latency rule multiplies the active count by the p99 overshoot, at most by this. */
    private static final double MAX_LATENCY_STEP = 2.0;
    /** The utilisation rules (up and down) read moving means of the demand over this many seconds. */
    private static final int SMOOTHING_SECONDS = 5;
    /** How much of the last minute the noise headroom is measured over. */
    private static final int NOISE_WINDOW_SECONDS = 60;
    /** Seconds of window the noise estimate needs. */
    private static final int NOISE_MIN_SECONDS = 20;
    /** The median absolute deviation of a normal variable is this many standard deviations. */
    private static final double MAD_TO_SIGMA = 0.6745;
    /** The most noise headroom sizing adds. */
    private static final double MAX_HEADROOM = 1.5;
    /** How often the seasonal periods' autocorrelations (the costly part: O(window) per period) are re-checked. */
    private static final int PERIOD_RECHECK_SECONDS = 60;
    /**
     * A scale-down skips the stabilisation window when each of the last {@code SMOOTHING_SECONDS} needed at most
     * 1/this of the instances requested: a load that ended, not a dip.
     */
    static final int DROP_FACTOR = 2;
    /**
     * A stabilisation window is steady when its {@code SMOOTHING_SECONDS} means span at most this many standard
     * errors of such a mean: what differs between them is noise, and the window's mean is its level.
     */
    private static final double STEADY_SPREAD = 5.0;
    /**
     * ... and the per-second noise σ is at most this fraction of the last minute's mean demand: noisier load keeps
     * being sized for its window's peak, whose seconds the latency sees.
     */
    private static final double STEADY_MAX_NOISE = 0.08;
    /**
     * A forecast is lowered by this many standard errors of its {@link Predictor#SMOOTHING_SECONDS} mean before it is
     * used: one period ago's noise is no rise.
     */
    private static final double FORECAST_NOISE_SIGMAS = 3.0;

    private final TreeRules rules;
    private final Window window = new Window();
    private final Map<String, SliceMemory> memory = new HashMap<>();
    /** Scratch for the noise estimate, allocated once. */
    private final double[] noise = new double[NOISE_WINDOW_SECONDS];

    /** @throws IllegalArgumentException when the rules do not {@link TreeRules#validate() validate} */
    public DecisionTreeController(TreeRules rules) {
        this.rules = rules.validate();
    }

    @Override
    public Layer layer() {
        return Layer.L1;
    }

    @Override
    public synchronized Decision evaluate(ControlContext context) {
        memory.keySet().retainAll(context.slices().keySet());
        if (context.slices().isEmpty()) {
            return Decision.hold(Layer.L1, "no slices to control");
        }
        long now = context.now().getEpochSecond();
        List<ScaleChange> changes = new ArrayList<>();
        StringBuilder reasoning = new StringBuilder();
        double confidence = 1.0;
        Outcome escalating = null;
        for (String artifact : new TreeSet<>(context.slices().keySet())) {
            SliceSpec spec = context.slices().get(artifact);
            Outcome outcome = decide(context, spec, now);
            if (outcome.to != spec.instances()) {
                changes.add(new ScaleChange(spec.blueprint(), artifact, spec.instances(), outcome.to, outcome.text));
            }
            if (reasoning.length() > 0) {
                reasoning.append("; ");
            }
            reasoning.append(artifact).append(": ").append(outcome.text);
            confidence = Math.min(confidence, outcome.confidence);
            if (outcome.escalation != null
                    && (escalating == null || priority(outcome.escalation) > priority(escalating.escalation))) {
                escalating = outcome;
            }
        }
        Optional<Escalation> escalation = Optional.empty();
        if (escalating != null) {
            escalation = Optional.of(new Escalation(escalating.escalation.reason(),
                    escalating.artifact + ": " + escalating.escalation.detail()));
            reasoning.append("; escalate ").append(escalating.escalation.reason()).append(": ")
                    .append(escalation.get().detail());
        }
        return new Decision(Layer.L1, changes, List.of(), reasoning.toString(), confidence, escalation);
    }

    /** One slice's verdict: the instance count it should have (its current count for a hold) and why. */
    private record Outcome(String artifact, int to, String text, double confidence, Escalation escalation) {
    }

    private Outcome decide(ControlContext context, SliceSpec spec, long now) {
        String artifact = spec.artifact();
        SliceMemory mem = memory.computeIfAbsent(artifact, a -> new SliceMemory());
        int current = spec.instances();
        mem.observe(current, now);
        SliceMetrics seen = context.latest().slices().get(artifact);
        if (seen != null) {
            mem.observeActive(seen.instances(), now);
        }
        ClusterMetricsSnapshot latest = context.latest();
        if (latest.hasStaleNodes()) {
            return hold(spec, "stale metrics: nodes " + new TreeSet<>(latest.staleNodes())
                    + " stopped reporting → hold (never scale on stale metrics)", 1.0, null);
        }
        MetricsHistory history = context.history();
        SliceMetrics metrics = latest.slices().get(artifact);
        long newest = Math.min(latest.epochSecond(), history.newestSecond());
        if (metrics == null || now - newest > rules.staleAfterSeconds()) {
            return hold(spec, "stale metrics: no sample for the slice in the last " + rules.staleAfterSeconds()
                    + " s → hold (never scale on stale metrics)", 1.0, null);
        }
        if (current < spec.min() || current > spec.max()) {
            int to = Math.max(spec.min(), Math.min(spec.max(), current));
            mem.decided(current, to, now);
            return new Outcome(artifact, to, "bounds: " + current + " instances outside [" + spec.min() + ","
                    + spec.max() + "] → " + current + " → " + to + " instances", 1.0, null);
        }
        window.load(history, artifact);
        Sizing sizing = new Sizing(spec, metrics, mem, latest.epochSecond(), history.newestSecond(), now);
        Escalation escalation = escalation(spec, sizing, history.sizeSeconds());
        Outcome outcome = scaleUp(spec, sizing, mem, now, escalation);
        if (outcome == null) {
            outcome = scaleDown(spec, sizing, mem, now, newest, escalation);
        }
        return outcome;
    }

    /** The numbers every rule reads for one slice in one second. */
    private final class Sizing {
        final int active;
        final double capacity;
        final double arrivals;
        /** Load now in instance-units at 100%; NaN when unknown. */
        final double demand;
        final double utilisation;
        /** Demand over this and the previous second (the lower); NaN when unknown. */
        final double sustainedDemand;
        /**
         * What the utilisation rules size for: the mean demand of the last {@code SMOOTHING_SECONDS} (the
         * 2-second sustained demand while the capacity is unknown) times {@link #headroom}; NaN when unknown.
         */
        final double level;
        /** Extra capacity for this slice's second-to-second noise (≥ 1), see {@link #noiseHeadroom}. */
        final double headroom;
        /**
         * The standard error of a {@code SMOOTHING_SECONDS} mean demand: the per-second noise σ ÷ √seconds, in
         * instance-units (0 when unknown). A scale-up needs the mean above the band by more than this, and a
         * scale-down keeps this much above the peak it sizes for: noise alone then moves neither way.
         */
        final double meanNoise;
        /** The per-second noise σ in instance-units (0 when unknown). */
        final double sigma;
        /** The per-second noise σ relative to the last minute's mean demand (0 when unknown). */
        final double noiseCv;
        final boolean draining;
        final SliceMetrics metrics;
        final Optional<Prediction> prediction;
        /**
         * The slope of the last {@code trendWindowSeconds} of demand (instance-units per second) when it falls
         * significantly ({@link Predictor#falling}); 0 otherwise or with the capacity unknown.
         */
        final double fall;
        /** Why the seasonal forecast is not trusted this second (its period just missed), if so. */
        final Optional<String> missed;

        Sizing(SliceSpec spec, SliceMetrics metrics, SliceMemory mem, long second, long historyNewest, long now) {
            this.metrics = metrics;
            active = metrics.instances();
            capacity = rules.capacityPerInstance() > 0 ? rules.capacityPerInstance()
                    : window.estimateCapacity(rules.capacityWindowSeconds(), spec.sloP99Ms(), rules.capacityMinCpu(),
                    rules.capacityMinSamples());
            boolean previous = mem.hasPrevious(second);
            // Flow conservation: arrivals = completions + the change of what is in flight. A growing count is a
            // queue the completions cannot show; a shrinking one is a backlog draining, not new load.
            double inFlightChange = previous ? metrics.inFlight() - mem.previousInFlight(second) : 0;
            draining = inFlightChange < 0;
            // In the second the active count changes, new instances take calls off the queue: the completions include
            // that backlog, and a growing in-flight count the calls now in service. Neither is new load: that second
            // counts at most what arrived the second before; a real rise shows from the next second on.
            double measured = Math.max(0, metrics.callsPerSecond() + inFlightChange);
            boolean backlogTaken = previous && mem.activeChangedSecond == now && inFlightChange > 0;
            arrivals = backlogTaken ? Math.min(measured, mem.previousArrivals(second)) : measured;
            if (mem.arrivals == null || mem.arrivals.capacity() != window.calls.length) {
                mem.arrivals = new ArrivalRing(window.calls.length);
            }
            mem.arrivals.record(second, arrivals);
            window.fillDemand(capacity, mem.arrivals, historyNewest);
            if (!Double.isNaN(capacity)) {
                demand = arrivals / capacity;
            } else if (metrics.cpu() > 0 || arrivals == 0) {
                demand = metrics.cpu() * active;
            } else {
                demand = Double.NaN;
            }
            utilisation = utilisation(demand);
            // One noisy second does not scale; the lower of two seconds does.
            sustainedDemand = previous ? Math.min(demand, mem.previousDemand(second)) : demand;
            mem.sample(second, metrics.inFlight(), demand, arrivals);
            sigma = noiseSigma();
            double smoothed = capacityKnown() && window.size > 0
                    ? Window.mean(window.demand, Math.max(0, window.size - SMOOTHING_SECONDS), window.size)
                    : sustainedDemand;
            headroom = noiseHeadroom(sigma);
            meanNoise = sigma / Math.sqrt(SMOOTHING_SECONDS);
            double minuteMean = minuteMean();
            noiseCv = sigma > 0 && minuteMean > 0 && Double.isFinite(minuteMean) ? sigma / minuteMean : 0;
            level = smoothed * headroom;
            fall = capacityKnown() ? Predictor.falling(window.demand, window.size, rules.trendWindowSeconds(), sigma)
                    : 0;
            missed = checkPeriod(mem, second);
            double forecastNoise = FORECAST_NOISE_SIGMAS * sigma / Math.sqrt(Predictor.SMOOTHING_SECONDS);
            prediction = predict(mem, missed).map(p -> forecastNoise > 0 ? new Prediction(Math.max(0,
                    p.demand() - forecastNoise), p.why() + " − " + f2(FORECAST_NOISE_SIGMAS) + " × its noise "
                    + f2(forecastNoise / FORECAST_NOISE_SIGMAS)) : p);
        }

        double utilisation(double load) {
            return active > 0 ? load / active : (load > 0 ? Double.POSITIVE_INFINITY : 0);
        }

        boolean capacityKnown() {
            return !Double.isNaN(capacity);
        }

        String headroomText() {
            return headroom > 1 ? " incl. noise headroom ×" + f2(headroom) : "";
        }

        /**
         * The last minute's second-to-second noise σ in instance-units, estimated robustly from the median absolute
         * change between consecutive seconds (a step or a spike moves one difference, not the median); 0 with less
         * than {@code NOISE_MIN_SECONDS} of window or unknown capacity.
         */
        private double noiseSigma() {
            int n = Math.min(window.size, NOISE_WINDOW_SECONDS);
            if (!capacityKnown() || n < NOISE_MIN_SECONDS) {
                return 0;
            }
            int from = window.size - n;
            for (int i = from + 1; i < window.size; i++) {
                noise[i - from - 1] = Math.abs(window.demand[i] - window.demand[i - 1]);
            }
            java.util.Arrays.sort(noise, 0, n - 1);
            // A difference of two independent seconds has √2 σ; its median absolute value is 0.6745 of that.
            double sigma = noise[(n - 1) / 2] / MAD_TO_SIGMA / Math.sqrt(2);
            return Double.isFinite(sigma) ? sigma : 0;
        }

        /**
         * {@code (1 + cv) / (1 + band)}, at least 1 and at most {@code MAX_HEADROOM}: cv is σ relative to the last
         * minute's mean demand. Steady load needs none (the target already leaves the band); noisy load gets
         * enough that a one-sigma second still fits the band.
         */
        private double noiseHeadroom(double sigma) {
            double mean = minuteMean();
            if (!(sigma > 0) || !(mean > 0) || Double.isInfinite(mean)) {
                return 1.0;
            }
            return Math.max(1.0, Math.min(MAX_HEADROOM, (1 + sigma / mean) / (1 + rules.hysteresisBand())));
        }

        /** The mean demand of the last {@code NOISE_WINDOW_SECONDS} (0 without window). */
        private double minuteMean() {
            int n = Math.min(window.size, NOISE_WINDOW_SECONDS);
            return n > 0 ? Window.mean(window.demand, window.size - n, window.size) : 0;
        }

        String demandText(double load) {
            return f2(load) + " instance-units (" + (capacityKnown() ? SMOOTHING_SECONDS + "-s mean of calls/s ÷ "
                    + f2(capacity) + " per instance"
                    : "cpu × " + active + " active; capacity not yet estimated") + ")";
        }
    }

    /** A rule that wants {@code desired} instances, and its numbers. */
    private record Want(int desired, String text, boolean predictive) {
    }

    private Outcome scaleUp(SliceSpec spec, Sizing s, SliceMemory mem, long now, Escalation escalation) {
        int current = spec.instances();
        double target = rules.targetUtilisation();
        double upper = target * (1 + rules.hysteresisBand());
        int activeCap = s.active == 0 ? current
                : Math.max((int) Math.ceil(s.active * rules.maxStepUpRatio()), s.active + rules.maxStepUpInstances());
        List<Want> wants = new ArrayList<>(5);
        SliceMetrics m = s.metrics;
        // Within a stabilisation window and a cooldown after a scale-down sized for a steady window's mean, a rise
        // must show in what that scale-down measured: the stabilisation window's mean, not the 5-s mean, whose noise
        // would undo it.
        int stabilisation = rules.scaleDownStabilisationSeconds();
        long sinceDown = now - mem.steadyDownSecond;
        boolean afterDown = mem.steadyDownSecond == mem.lastDownSecond && mem.lastDownSecond > mem.lastUpSecond
                && s.capacityKnown() && window.size >= stabilisation
                && sinceDown < stabilisation + rules.scaleDownCooldownSeconds();
        double level = afterDown ? steadyMean(s, window.size - stabilisation, window.size) * s.headroom : s.level;
        double levelNoise = (afterDown ? s.sigma / Math.sqrt(stabilisation) : s.meanNoise) * s.headroom;
        double levelUtilisation = s.utilisation(level);
        // Noise alone must not scale up: the mean has to clear the band by more than its own standard error.
        double noiseUtilisation = s.utilisation(levelNoise);
        if (!Double.isNaN(level) && levelUtilisation - noiseUtilisation > upper) {
            // Sized for what cleared the band: the mean less its noise. The mean of a second that fired is more
            // likely high than low, and sizing for it would leave the next scale-down sizing against its noise.
            double sized = level - levelNoise;
            wants.add(new Want(ceil(sized / target), "utilisation: " + f2(levelUtilisation) + " > " + f2(upper)
                    + " (target " + f2(target) + " + band " + f2(rules.hysteresisBand()) + ")"
                    + (noiseUtilisation > 0 ? " by more than its noise " + f2(noiseUtilisation) : "") + ", demand "
                    + (afterDown ? f2(level) + " instance-units (" + stabilisation + "-s mean: " + sinceDown
                    + " s after a scale-down)" : s.demandText(level)) + s.headroomText()
                    + (sized < level ? ", sized for " + f2(sized) + " (less its noise)" : ""), false));
        }
        boolean latencyOver = m.callsPerSecond() > 0 && window.size >= LATENCY_SUSTAIN_SECONDS
                && Window.min(window.p99Ms, window.size - LATENCY_SUSTAIN_SECONDS, window.size) > spec.sloP99Ms()
                && m.p99Ms() > spec.sloP99Ms();
        // While requested instances start, a backlog keeps latency and in-flight high although what is requested
        // covers the arrivals: wait for them. With nothing pending, these rules stand (the capacity may be wrong).
        boolean covered = s.capacityKnown() && current > s.active && s.sustainedDemand <= current * upper;
        long settling = BACKLOG_GRACE_SECONDS - (now - mem.activeChangedSecond);
        if (!covered && settling > 0) {
            covered = true;
        }
        String waiting = !covered ? "" : settling > 0 ? " but " + s.active + " active instances changed "
                + (BACKLOG_GRACE_SECONDS - settling) + " s ago → waiting " + settling + " s for the backlog to drain"
                : " but " + current + " instances requested (" + s.active + " active) cover demand " + f2(s.demand)
                + " at " + f2(upper) + " → waiting for start-up";
        if (latencyOver && !s.draining && s.active > 0 && !covered) {
            double overshoot = Math.min(MAX_LATENCY_STEP, m.p99Ms() / spec.sloP99Ms());
            wants.add(new Want(Math.min(activeCap, ceil(s.active * overshoot)), "latency: p99 " + f0(m.p99Ms())
                    + " ms > SLO " + spec.sloP99Ms() + " ms (" + f2(overshoot) + "x)", false));
        }
        double inFlightBound = rules.maxInFlightPerInstance() > 0 ? rules.maxInFlightPerInstance()
                : s.capacity * spec.sloP99Ms() / 1000.0 * rules.inFlightSloFraction();
        boolean queueing = false;
        boolean inFlightOver = !Double.isNaN(inFlightBound) && inFlightBound > 0 && s.active > 0
                && (double) m.inFlight() / s.active > inFlightBound;
        if (inFlightOver && !s.draining && !covered) {
            queueing = true;
            wants.add(new Want(Math.min(activeCap, ceil(m.inFlight() / inFlightBound)), "in-flight: "
                    + f2((double) m.inFlight() / s.active) + " per instance > bound " + f2(inFlightBound) + " ("
                    + m.inFlight() + " in flight on " + s.active + ")", false));
        }
        Escalation unexplainedErrors = null;
        if (m.errorRate() > spec.sloErrorRate() && m.callsPerSecond() > 0) {
            boolean underLoad = s.utilisation >= target * (1 - rules.hysteresisBand()) || latencyOver || queueing;
            if (underLoad && s.active > 0) {
                double shed = Math.min(m.errorRate(), 0.5);
                wants.add(new Want(Math.min(activeCap, ceil(s.active / (1 - shed))), "errors: " + pct(m.errorRate())
                        + " > SLO " + pct(spec.sloErrorRate()) + " at utilisation " + f2(s.utilisation), false));
            } else {
                unexplainedErrors = new Escalation(Reason.UNCLASSIFIED_PATTERN, "errors " + pct(m.errorRate())
                        + " > SLO " + pct(spec.sloErrorRate()) + " at utilisation " + f2(s.utilisation)
                        + ": not a capacity problem");
            }
        }
        s.prediction.filter(p -> ceil(p.demand() / target) > current).ifPresent(p -> wants.add(new Want(
                ceil(p.demand() / target), "predictive: " + p.why() + " → needs " + ceil(p.demand() / target)
                + " at target " + f2(target), true)));
        Escalation esc = pick(escalation, unexplainedErrors);

        Want best = null;
        for (Want want : wants) {
            if (best == null || want.desired > best.desired) {
                best = want;
            }
        }
        if (best == null) {
            if (unexplainedErrors != null) {
                return hold(spec, unexplainedErrors.detail() + " → hold", 0.5, esc);
            }
            if (covered && (latencyOver || inFlightOver)) {
                String signal = latencyOver ? "latency: p99 " + f0(m.p99Ms()) + " ms > SLO " + spec.sloP99Ms() + " ms"
                        : "in-flight: " + m.inFlight() + " in flight on " + s.active;
                return hold(spec, signal + waiting,
                        confidence(s, false, esc), esc);
            }
            return null;
        }
        double confidence = confidence(s, best.predictive, esc);
        if (best.desired <= current) {
            return hold(spec, best.text + " → " + best.desired + " instances, " + current + " already requested ("
                    + s.active + " active) → hold", confidence, esc);
        }
        if (current >= spec.max()) {
            return hold(spec, best.text + " → wants " + best.desired + " but at max " + spec.max() + " → hold",
                    confidence, esc);
        }
        long since = now - mem.lastUpSecond;
        if (since < rules.scaleUpCooldownSeconds()) {
            return hold(spec, best.text + " → wants " + best.desired + " but cooldown: last scale-up " + since
                    + " s ago (scale-up cooldown " + rules.scaleUpCooldownSeconds() + " s) → hold", confidence, esc);
        }
        int stepLimit = Math.max((int) Math.ceil(current * rules.maxStepUpRatio()),
                current + rules.maxStepUpInstances());
        int to = Math.min(best.desired, Math.min(stepLimit, spec.max()));
        String capped = to == best.desired ? ""
                : to == spec.max() ? " (capped at max " + spec.max() + ", wanted " + best.desired + ")"
                : " (step limit ×" + f2(rules.maxStepUpRatio()) + "/+" + rules.maxStepUpInstances() + ", wanted "
                + best.desired + ")";
        mem.decided(current, to, now);
        return new Outcome(spec.artifact(), to, best.text + " → " + current + " → " + to + " instances" + capped,
                confidence, esc);
    }

    private Outcome scaleDown(SliceSpec spec, Sizing s, SliceMemory mem, long now, long newest,
                              Escalation escalation) {
        int current = spec.instances();
        double target = rules.targetUtilisation();
        double lower = target * (1 - rules.hysteresisBand());
        double confidence = confidence(s, false, escalation);
        if (Double.isNaN(s.level)) {
            return hold(spec, "capacity unknown: " + f2(s.metrics.callsPerSecond())
                    + " calls/s but no cpu and no configured capacity → hold", 0.5, escalation);
        }
        double utilisation = s.utilisation(s.level);
        if (utilisation > target * (1 + rules.hysteresisBand())) {
            return hold(spec, "utilisation " + f2(utilisation) + " above band" + s.headroomText()
                    + (s.draining ? " (in-flight draining)" : "") + " → hold", confidence, escalation);
        }
        if (utilisation >= lower) {
            return hold(spec, "within band: utilisation " + f2(utilisation) + s.headroomText() + " of target "
                    + f2(target) + " (band " + f2(lower) + ".." + f2(target * (1 + rules.hysteresisBand())) + ")",
                    confidence, escalation);
        }
        String low = "utilisation " + f2(utilisation) + s.headroomText() + " < " + f2(lower) + " (target "
                + f2(target) + " − band " + f2(rules.hysteresisBand()) + ")";
        if (current <= spec.min()) {
            return hold(spec, low + " but at min " + spec.min() + " → hold", confidence, escalation);
        }
        int stabilisation = rules.scaleDownStabilisationSeconds();
        // A sharp drop: each of the last SMOOTHING_SECONDS needed at most half the instances requested. Waiting out
        // the stabilisation window would pay for the load that ended for that long; size for what is left at once.
        int recent = Math.min(SMOOTHING_SECONDS, stabilisation);
        double dropPeak = window.size >= recent ? Window.max(window.demand, window.size - recent, window.size)
                * s.headroom : Double.POSITIVE_INFINITY;
        int dropNeeded = Double.isInfinite(dropPeak) ? current : Math.max(spec.min(), ceil(dropPeak / target));
        boolean drop = dropNeeded * DROP_FACTOR <= current;
        if (!drop) {
            // The newest seconds already need at most 1/DROP_FACTOR: a load that may have ended. Shaving off part of
            // the instances now would restart the scale-down cooldowns just before the release that matters.
            int dropping = 0;
            while (dropping < Math.min(recent, window.size) && Math.max(spec.min(), ceil(
                    window.demand[window.size - 1 - dropping] * s.headroom / target)) * DROP_FACTOR <= current) {
                dropping++;
            }
            if (dropping > 0) {
                return hold(spec, low + " but dropping: the last " + dropping + " s each needed at most 1/"
                        + DROP_FACTOR + " of " + current + " → hold (released once " + recent + " s do)", confidence,
                        escalation);
            }
        }
        int needed;
        String peakText;
        int from;
        boolean steady = false;
        if (drop) {
            from = window.size - recent;
            needed = dropNeeded;
            peakText = f2(dropPeak) + " instance-units (highest second" + (s.headroom > 1 ? " × noise headroom "
                    + f2(s.headroom) : "") + ")";
        } else {
            if (window.size < stabilisation) {
                return hold(spec, low + " but only " + window.size + " s of window, scale-down needs " + stabilisation
                        + " s → hold", confidence, escalation);
            }
            from = window.size - stabilisation;
            // The highest 5-s mean inside the window (a load that ended before it no longer holds instances) plus
            // its noise: the scale-up rule must not fire again on the same load. A steady window is sized for its mean.
            Level level = windowLevel(s, from, window.size);
            steady = level.steady();
            double peak = level.demand();
            peakText = f2(peak) + " instance-units (" + level.text() + (s.headroom > 1 ? ", × noise headroom "
                    + f2(s.headroom) : "") + ")";
            needed = Double.isInfinite(peak) ? current : Math.max(spec.min(), ceil(peak / target));
        }
        Optional<Prediction> prediction = s.prediction;
        String predicted = "";
        if (prediction.isPresent() && ceil(prediction.get().demand() / target) > needed) {
            int forecastNeed = ceil(prediction.get().demand() / target);
            if (forecastNeed < current) {
                // The forecast needs more than the measured load: the load is expected to rise, so shaving off what
                // it does not need would only be asked for again.
                return hold(spec, low + " but " + (drop ? "dropped: the last " + recent : "stabilising: the last "
                        + stabilisation) + " s peaked at " + peakText + ", predictive: " + prediction.get().why()
                        + " → needs " + forecastNeed + " → hold (the forecast rises above the load)", confidence,
                        escalation);
            }
            needed = forecastNeed;
            predicted = ", predictive: " + prediction.get().why();
        } else if (s.missed.isPresent()) {
            predicted = ", " + s.missed.get() + " → not trusted";
        }
        String span = drop ? "dropped: the last " + recent + " s peaked at " : "stabilising: the last " + stabilisation
                + " s peaked at ";
        if (needed >= current) {
            return hold(spec, low + " but " + span + peakText + predicted + ", needing " + needed + " → hold",
                    confidence, escalation);
        }
        if (!drop && window.size > stabilisation) {
            // A load that just fell leaves the window over SMOOTHING_SECONDS; scaling down while it leaves would go
            // part of the way and then wait a cooldown for the rest. Wait until the count stops falling.
            double before = windowLevel(s, from - 1, window.size - 1).demand();
            int neededBefore = Double.isInfinite(before) ? current : Math.max(spec.min(), ceil(before / target));
            if (needed < neededBefore) {
                return hold(spec, low + " but " + span + peakText + ", needing " + needed + ", still falling ("
                        + neededBefore + " a second ago) → hold", confidence, escalation);
            }
        }
        double p99Peak = Window.max(window.p99Ms, from, window.size);
        double p99Bound = spec.sloP99Ms() * rules.scaleDownLatencyFraction();
        if (p99Peak > p99Bound) {
            return hold(spec, low + " but latency: p99 peaked at " + f0(p99Peak) + " ms > " + f0(p99Bound) + " ms ("
                    + f2(rules.scaleDownLatencyFraction()) + " of SLO " + spec.sloP99Ms() + " ms) in the last "
                    + (window.size - from) + " s → hold", confidence, escalation);
        }
        if (s.metrics.errorRate() > spec.sloErrorRate()) {
            return hold(spec, low + " but errors " + pct(s.metrics.errorRate()) + " > SLO " + pct(spec.sloErrorRate())
                    + " → hold", confidence, escalation);
        }
        // The active count also changes when requested instances finish starting: that is no scaling. Only a
        // controller that has not watched the slice for a cooldown (a new leader) reads the INSTANCES series.
        int lastChangeIndex = now - mem.firstSeenSecond < rules.scaleDownCooldownSeconds()
                ? Window.lastChangeIndex(window.instances, window.size) : -1;
        long lastChange = mem.lastChangeSecond();
        if (lastChangeIndex >= 0) {
            lastChange = Math.max(lastChange, newest - (window.size - 1 - lastChangeIndex));
        }
        long since = now - lastChange;
        if (since < rules.scaleDownCooldownSeconds()) {
            return hold(spec, low + " but cooldown: scale-down waits " + (rules.scaleDownCooldownSeconds() - since)
                    + " s more (" + rules.scaleDownCooldownSeconds() + " s after the last change) → hold",
                    confidence, escalation);
        }
        mem.decided(current, needed, now);
        if (steady) {
            mem.steadyDownSecond = now;
        }
        return new Outcome(spec.artifact(), needed, low + (drop ? ", dropped: each of the last " + recent
                + " s needs at most 1/" + DROP_FACTOR + " of " + current + ", peak " : " for " + stabilisation
                + " s, peak ") + peakText + predicted
                + " → " + current + " → " + needed + " instances", confidence, escalation);
    }

    /** What a scale-down sizes for, in instance-units, and how it was measured. */
    private record Level(double demand, boolean steady, String text) {
    }

    /**
     * What a scale-down sizes for over the stabilisation window {@code [from, to)}, times the noise headroom: the
     * window's highest {@code SMOOTHING_SECONDS} mean plus its noise; or, when the window is steady (its means span at
     * most {@code STEADY_SPREAD} × their noise and the per-second noise is at most {@code STEADY_MAX_NOISE} of the
     * level), the window's mean: the highest of a steady window's means is only its noise. After such a scale-down the
     * utilisation rule reads the same window's mean for a while ({@link #scaleUp}), so that noise does not undo it.
     */
    private Level windowLevel(Sizing s, int from, int to) {
        int first = Math.min(from + SMOOTHING_SECONDS - 1, to - 1);
        double peakMean = Window.maxMovingMean(window.demand, first, to, SMOOTHING_SECONDS);
        double spread = peakMean - Window.minMovingMean(window.demand, first, to, SMOOTHING_SECONDS);
        if (s.meanNoise > 0 && s.noiseCv <= STEADY_MAX_NOISE && spread <= STEADY_SPREAD * s.meanNoise) {
            double mean = Window.mean(window.demand, Math.max(0, from), to);
            double now = steadyMean(s, from, to);
            return new Level(now * s.headroom, true, "steady: " + (to - Math.max(0, from)) + "-s mean " + f2(mean)
                    + (now < mean ? ", falling " + f2(s.fall) + "/s over " + rules.trendWindowSeconds() + " s: "
                    + f2(now) + " at its end" : "") + ", its " + SMOOTHING_SECONDS + "-s means within " + f2(spread)
                    + " ≤ " + f2(STEADY_SPREAD) + " × noise " + f2(s.meanNoise));
        }
        return new Level((peakMean + s.meanNoise) * s.headroom, false, SMOOTHING_SECONDS + "-s mean " + f2(peakMean)
                + (s.meanNoise > 0 ? " + noise " + f2(s.meanNoise) : ""));
    }

    /**
     * The mean demand of {@code [from, to)}; while the load falls ({@link Sizing#fall}), projected along that slope
     * from the window's middle second to its last: a falling window's mean is the level of its middle.
     */
    private double steadyMean(Sizing s, int from, int to) {
        int start = Math.max(0, from);
        double mean = Window.mean(window.demand, start, to);
        return Math.max(0, mean + s.fall * (to - start - 1) / 2.0);
    }

    /** The seasonal period (re-checked once a minute) and whether it has just missed ({@link Predictor#missed}). */
    private Optional<String> checkPeriod(SliceMemory mem, long second) {
        if (second - mem.periodCheckedSecond >= PERIOD_RECHECK_SECONDS) {
            mem.period = Predictor.bestPeriod(window.demand, window.size, rules.seasonalPeriodsSeconds(),
                    rules.seasonalMinCorrelation(), rules.predictiveLeadSeconds());
            mem.periodCheckedSecond = second;
        }
        return mem.period.flatMap(p -> Predictor.missed(window.demand, window.size, p));
    }

    /**
     * The larger of the seasonal and trend forecasts over the demand series, if either is trusted; the seasonal one
     * not while its period has just {@code missed}.
     */
    private Optional<Prediction> predict(SliceMemory mem, Optional<String> missed) {
        int lead = rules.predictiveLeadSeconds();
        Optional<Prediction> seasonal = missed.isPresent() ? Optional.empty()
                : mem.period.flatMap(p -> Predictor.seasonal(window.demand, window.size, p, lead));
        Optional<Prediction> trend = Predictor.trend(window.demand, window.size, rules.trendWindowSeconds(),
                rules.trendMinR2(), lead);
        if (seasonal.isEmpty()) {
            return trend;
        }
        if (trend.isEmpty()) {
            return seasonal;
        }
        return seasonal.get().demand() >= trend.get().demand() ? seasonal : trend;
    }

    private Escalation escalation(SliceSpec spec, Sizing s, int historySeconds) {
        int size = window.size;
        int breach = rules.sloBreachSeconds();
        if (size >= breach) {
            double p99Low = Double.POSITIVE_INFINITY;
            for (int i = size - breach; i < size; i++) {
                p99Low = Math.min(p99Low, window.p99Ms[i]);
            }
            double before = window.instances[size - breach];
            double after = window.instances[size - 1];
            if (p99Low > spec.sloP99Ms() && after > before) {
                return new Escalation(Reason.SLO_BREACH_DESPITE_SCALING, "p99 above SLO " + spec.sloP99Ms()
                        + " ms for " + breach + " s (lowest " + f0(p99Low) + " ms) although instances rose "
                        + f0(before) + " → " + f0(after));
            }
        }
        int oscillationFrom = Math.max(0, size - rules.oscillationWindowSeconds());
        int changes = Window.directionChanges(window.instances, oscillationFrom, size);
        if (changes >= rules.oscillationMaxChanges()) {
            return new Escalation(Reason.OSCILLATION, "instances changed direction " + changes + " times in "
                    + (size - oscillationFrom) + " s (limit " + rules.oscillationMaxChanges() + ")");
        }
        int u = rules.unclassifiedWindowSeconds();
        if (size >= u) {
            int from = size - u;
            double latencyCv = Window.cv(window.p99Ms, from, size);
            double loadCv = Window.cv(window.calls, from, size);
            if (latencyCv > rules.unclassifiedLatencyCv() && loadCv < rules.unclassifiedLoadCv()
                    && Window.max(window.p99Ms, from, size) > spec.sloP99Ms() && !saturated(from, size)) {
                return new Escalation(Reason.UNCLASSIFIED_PATTERN, "p99 varies (cv " + f2(latencyCv)
                        + ") and exceeds SLO " + spec.sloP99Ms() + " ms while load is steady (cv " + f2(loadCv)
                        + ") over " + u + " s");
            }
        }
        if (historySeconds < rules.minHistorySeconds()) {
            return new Escalation(Reason.NO_HISTORY, "only " + historySeconds + " s of window, rules want "
                    + rules.minHistorySeconds() + " s");
        }
        return null;
    }

    /**
     * Whether some second in {@code [from, to)} ran above the hysteresis band or at full CPU: then completions are
     * capped at capacity, look steady, and the latency is explained by load after all.
     */
    private boolean saturated(int from, int to) {
        double upper = rules.targetUtilisation() * (1 + rules.hysteresisBand());
        for (int i = from; i < to; i++) {
            boolean busy = window.instances[i] >= 1 && window.demand[i] / window.instances[i] > upper;
            if (busy || window.cpu[i] >= SATURATED_CPU) {
                return true;
            }
        }
        return false;
    }

    private static Escalation pick(Escalation a, Escalation b) {
        if (a == null) {
            return b;
        }
        return b == null || priority(a) >= priority(b) ? a : b;
    }

    /** Which escalation a decision carries when slices disagree: the one L2 can least ignore. */
    private static int priority(Escalation escalation) {
        return switch (escalation.reason()) {
            case SLO_BREACH_DESPITE_SCALING -> 4;
            case OSCILLATION -> 3;
            case UNCLASSIFIED_PATTERN -> 2;
            case NO_HISTORY -> 1;
        };
    }

    private static double confidence(Sizing s, boolean predictive, Escalation escalation) {
        double confidence = 1.0;
        if (!s.capacityKnown()) {
            confidence = 0.8;
        }
        if (predictive) {
            confidence = Math.min(confidence, 0.7);
        }
        if (escalation != null) {
            confidence = Math.min(confidence, 0.5);
        }
        return confidence;
    }

    private static Outcome hold(SliceSpec spec, String text, double confidence, Escalation escalation) {
        return new Outcome(spec.artifact(), spec.instances(), text, confidence, escalation);
    }

    private static int ceil(double value) {
        return value >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.ceil(value - 1e-9);
    }
}

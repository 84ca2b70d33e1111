package io.aether.controller.tree;

import java.util.List;

/**
 * The knobs of the Layer-1 decision tree ({@code aether.controller.l1.*}); {@link #defaults()} gives every field
 * its default and {@link #validate()} names the first field that breaks its rule. "Demand" below is load in
 * instance-units: calls/s ÷ per-instance capacity, or CPU × instances when the capacity is unknown.
 *
 * @param targetUtilisation              utilisation each instance should run at after a decision, in (0,1];
 *                                       default 0.7
 * @param hysteresisBand                 no utilisation-driven change while utilisation is within
 *                                       target × (1 ± band), in [0,1); default 0.05
 * @param capacityPerInstance            calls/s one instance serves at 100% CPU; 0 estimates it online from the
 *                                       window (calls ÷ instances ÷ CPU in seconds whose p99 met the SLO);
 *                                       default 0
 * @param capacityWindowSeconds          how far back the online capacity estimate looks; default 300
 * @param capacityMinSamples             seconds of usable samples the estimate needs before it is trusted
 *                                       (below, demand falls back to CPU × instances); default 10
 * @param capacityMinCpu                 seconds with a lower CPU are too idle to estimate capacity from, in
 *                                       (0,1]; default 0.2
 * @param scaleUpCooldownSeconds         minimum seconds between two scale-ups of a slice; default 5
 * @param scaleDownCooldownSeconds       minimum seconds from the last change (either way) to a scale-down;
 *                                       default 15
 * @param scaleDownStabilisationSeconds  a scale-down sizes for the highest 5-s mean demand within this many
 *                                       last seconds, and needs that many seconds of window; default 15
 * @param scaleDownLatencyFraction       no scale-down while the p99 of the stabilisation window exceeded this
 *                                       fraction of the SLO, in (0,1]; default 0.8
 * @param maxStepUpRatio                 a scale-up goes at most to instances × ratio (or + {@code
 *                                       maxStepUpInstances}, whichever is larger), ≥ 1; default 2.0
 * @param maxStepUpInstances             see {@code maxStepUpRatio}, ≥ 1; default 4
 * @param maxInFlightPerInstance         in-flight calls per active instance above which the in-flight rule scales
 *                                       up; 0 derives it by Little's law as capacity × SLO p99 ×
 *                                       {@code inFlightSloFraction}; default 0
 * @param inFlightSloFraction            see {@code maxInFlightPerInstance}, in (0,1]; default 0.5
 * @param staleAfterSeconds              a slice whose newest sample is older than this holds; default 3
 * @param minHistorySeconds              with less window than this, decisions escalate NO_HISTORY; default 60
 * @param oscillationWindowSeconds       window in which instance-count direction changes are counted;
 *                                       default 600
 * @param oscillationMaxChanges          that many direction changes in the window escalate OSCILLATION, ≥ 2;
 *                                       default 4
 * @param sloBreachSeconds               p99 above the SLO for every one of this many seconds while instances
 *                                       rose escalates SLO_BREACH_DESPITE_SCALING; default 60
 * @param predictiveLeadSeconds          how far ahead the predictive rules look (instance start-up time plus a
 *                                       margin); default 20
 * @param seasonalPeriodsSeconds         candidate periods for the seasonal rule; each needs 1.5 periods of
 *                                       window, and must correlate clearly better than half of it; default every
 *                                       60 s from 120 to 3600
 * @param seasonalMinCorrelation         autocorrelation at the best period needed to trust it, in (0,1];
 *                                       default 0.8
 * @param trendWindowSeconds             seconds the linear trend is fitted over, ≥ 10; default 60
 * @param trendMinR2                     coefficient of determination the trend fit needs, in (0,1]; default 0.9
 * @param unclassifiedWindowSeconds      window for the unexplained-variance check, ≥ 10; default 60
 * @param unclassifiedLatencyCv          p99 coefficient of variation above which latency counts as erratic;
 *                                       default 1.0
 * @param unclassifiedLoadCv             ... while the calls/s coefficient of variation stays below this, which
 *                                       escalates UNCLASSIFIED_PATTERN; default 0.25
 */
public record TreeRules(double targetUtilisation, double hysteresisBand, double capacityPerInstance,
                        int capacityWindowSeconds, int capacityMinSamples, double capacityMinCpu,
                        int scaleUpCooldownSeconds, int scaleDownCooldownSeconds, int scaleDownStabilisationSeconds,
                        double scaleDownLatencyFraction, double maxStepUpRatio, int maxStepUpInstances,
                        int maxInFlightPerInstance, double inFlightSloFraction, int staleAfterSeconds,
                        int minHistorySeconds, int oscillationWindowSeconds, int oscillationMaxChanges,
                        int sloBreachSeconds, int predictiveLeadSeconds, List<Integer> seasonalPeriodsSeconds,
                        double seasonalMinCorrelation, int trendWindowSeconds, double trendMinR2,
                        int unclassifiedWindowSeconds, double unclassifiedLatencyCv, double unclassifiedLoadCv) {

    /** The default seasonal candidates: every minute from 2 min to 1 h. */
    static final List<Integer> SEASONAL_PERIODS = java.util.stream.IntStream.iterate(120, p -> p <= 3600, p -> p + 60)
            .boxed().toList();

    public TreeRules {
        seasonalPeriodsSeconds = List.copyOf(seasonalPeriodsSeconds);
    }

    /** Every field at its documented default. */
    public static TreeRules defaults() {
        return new TreeRules(0.7, 0.05, 0.0, 300, 10, 0.2, 5, 15, 15, 0.8, 2.0, 4, 0, 0.5, 3, 60, 600, 4, 60, 20,
                SEASONAL_PERIODS, 0.8, 60, 0.9, 60, 1.0, 0.25);
    }

    /**
     * These rules with {@code predictiveLeadSeconds} replaced: an operator sets the lead to the slices' instance
     * start-up time plus a margin, so that what the predictive rules start is serving when the forecast load comes.
     */
    public TreeRules withPredictiveLead(int seconds) {
        return new TreeRules(targetUtilisation, hysteresisBand, capacityPerInstance, capacityWindowSeconds,
                capacityMinSamples, capacityMinCpu, scaleUpCooldownSeconds, scaleDownCooldownSeconds,
                scaleDownStabilisationSeconds, scaleDownLatencyFraction, maxStepUpRatio, maxStepUpInstances,
                maxInFlightPerInstance, inFlightSloFraction, staleAfterSeconds, minHistorySeconds,
                oscillationWindowSeconds, oscillationMaxChanges, sloBreachSeconds, seconds, seasonalPeriodsSeconds,
                seasonalMinCorrelation, trendWindowSeconds, trendMinR2, unclassifiedWindowSeconds,
                unclassifiedLatencyCv, unclassifiedLoadCv);
    }

    /**
     * Checks every field; returns this when all hold.
     *
     * @throws IllegalArgumentException naming the first field that breaks its rule, e.g.
     *                                  {@code targetUtilisation 1.5 is outside (0,1]}
     */
    public TreeRules validate() {
        openClosedUnit("targetUtilisation", targetUtilisation);
        if (!(hysteresisBand >= 0 && hysteresisBand < 1)) {
            throw bad("hysteresisBand " + hysteresisBand + " is outside [0,1)");
        }
        if (!(capacityPerInstance >= 0) || Double.isInfinite(capacityPerInstance)) {
            throw bad("capacityPerInstance " + capacityPerInstance + " must be ≥ 0 (0 estimates it online)");
        }
        atLeast("capacityWindowSeconds", capacityWindowSeconds, 1);
        atLeast("capacityMinSamples", capacityMinSamples, 1);
        openClosedUnit("capacityMinCpu", capacityMinCpu);
        atLeast("scaleUpCooldownSeconds", scaleUpCooldownSeconds, 0);
        atLeast("scaleDownCooldownSeconds", scaleDownCooldownSeconds, 0);
        atLeast("scaleDownStabilisationSeconds", scaleDownStabilisationSeconds, 1);
        openClosedUnit("scaleDownLatencyFraction", scaleDownLatencyFraction);
        if (!(maxStepUpRatio >= 1) || Double.isInfinite(maxStepUpRatio)) {
            throw bad("maxStepUpRatio " + maxStepUpRatio + " must be ≥ 1");
        }
        atLeast("maxStepUpInstances", maxStepUpInstances, 1);
        atLeast("maxInFlightPerInstance", maxInFlightPerInstance, 0);
        openClosedUnit("inFlightSloFraction", inFlightSloFraction);
        atLeast("staleAfterSeconds", staleAfterSeconds, 1);
        atLeast("minHistorySeconds", minHistorySeconds, 0);
        atLeast("oscillationWindowSeconds", oscillationWindowSeconds, 2);
        atLeast("oscillationMaxChanges", oscillationMaxChanges, 2);
        atLeast("sloBreachSeconds", sloBreachSeconds, 1);
        atLeast("predictiveLeadSeconds", predictiveLeadSeconds, 1);
        for (int i = 0; i < seasonalPeriodsSeconds.size(); i++) {
            if (seasonalPeriodsSeconds.get(i) < 2) {
                throw bad("seasonalPeriodsSeconds[" + i + "] " + seasonalPeriodsSeconds.get(i) + " must be ≥ 2");
            }
        }
        openClosedUnit("seasonalMinCorrelation", seasonalMinCorrelation);
        atLeast("trendWindowSeconds", trendWindowSeconds, 10);
        openClosedUnit("trendMinR2", trendMinR2);
        atLeast("unclassifiedWindowSeconds", unclassifiedWindowSeconds, 10);
        positive("unclassifiedLatencyCv", unclassifiedLatencyCv);
        positive("unclassifiedLoadCv", unclassifiedLoadCv);
        return this;
    }

    private static void openClosedUnit(String field, double value) {
        if (!(value > 0 && value <= 1)) {
            throw bad(field + " " + value + " is outside (0,1]");
        }
    }

    private static void atLeast(String field, int value, int min) {
        if (value < min) {
            throw bad(field + " " + value + " must be ≥ " + min);
        }
    }

    private static void positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw bad(field + " " + value + " must be > 0");
        }
    }

    private static IllegalArgumentException bad(String message) {
        return new IllegalArgumentException("aether.controller.l1: " + message);
    }
}

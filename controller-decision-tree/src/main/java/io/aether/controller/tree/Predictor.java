package io.aether.controller.tree;

import static io.aether.controller.tree.Numbers.f2;

import io.aether.core.metrics.SeriesStats;
import java.util.List;
import java.util.Optional;

/**
 * The cheap predictive rules over a slice's demand series (instance-units per second, oldest first).
 *
 * <p>Seasonal: for each candidate period P with at least 1.5 P of window, the Pearson correlation between the
 * series and itself P seconds earlier; the best P with a correlation of at least the minimum is trusted (the
 * controller re-checks the periods once a minute, the forecast itself is every second). The forecast is the
 * demand {@code lead} seconds after "now" one period ago (a centred {@value #SMOOTHING_SECONDS}-s mean), times the
 * level ratio (mean of the last 60 s ÷ mean of the same 60 s one period ago, clamped to [0.5, 2]).
 *
 * <p>Trend: a least-squares line over the last {@code trendWindow} seconds; with a positive slope and R² of at least
 * the minimum, the forecast is the line's value {@code lead} seconds after now.
 */
final class Predictor {

    /** A forecast demand and how it was made, for the reasoning. */
    record Prediction(double demand, String why) {
    }

    private static final int LEVEL_SECONDS = 60;
    /** A period has missed when its forecast for each of this many last seconds was {@link #MISS_FACTOR}× too high. */
    static final int MISS_SECONDS = 5;
    static final double MISS_FACTOR = 2.0;
    /**
     * The seasonal forecast reads one period ago's demand as the mean of this many seconds centred {@code lead}
     * seconds ahead: noise is not a peak, and what starts now serves exactly then.
     */
    static final int SMOOTHING_SECONDS = 10;
    /** How much better a period must correlate than half of it (see {@link #bestPeriod}). */
    static final double HALF_PERIOD_CONTRAST = 0.3;
    /** A {@link #falling} slope must lie this many of its standard errors below 0. */
    static final double FALL_SIGMAS = 2.0;
    /** A {@link #falling} line may leave at most this many times the per-second noise. */
    static final double FALL_FIT = 1.5;

    private Predictor() {
    }

    /** A period the series repeats with, and how well (Pearson correlation with itself one period earlier). */
    record Period(int seconds, double correlation) {
    }

    /** The candidate period with the highest correlation of at least {@code minCorrelation}, if any. */
    static Optional<Period> bestPeriod(double[] demand, int size, List<Integer> periods, double minCorrelation,
                                       int lead) {
        Period best = null;
        for (int period : periods) {
            if (lead > period || size < period + period / 2) {
                continue;
            }
            double r = SeriesStats.lagCorrelation(demand, size, period);
            // A slow trend correlates with itself at every short lag; a real period correlates with one period ago
            // clearly better than with half a period ago (a sine: +1 against -1).
            if (r >= minCorrelation && r - SeriesStats.lagCorrelation(demand, size, period / 2) >= HALF_PERIOD_CONTRAST
                    && (best == null || r > best.correlation())) {
                best = new Period(period, r);
            }
        }
        return Optional.ofNullable(best);
    }

    static Optional<Prediction> seasonal(double[] demand, int size, Period period, int lead) {
        if (size < period.seconds() + LEVEL_SECONDS || lead > period.seconds()) {
            return Optional.empty();
        }
        int ago = size - period.seconds();
        int at = ago + lead;
        double ahead = Window.mean(demand, at - SMOOTHING_SECONDS / 2, Math.min(size, at + SMOOTHING_SECONDS / 2));
        double level = level(demand, size, ago);
        double forecast = ahead * level;
        if (!Double.isFinite(forecast)) {
            return Optional.empty();
        }
        return Optional.of(new Prediction(forecast, "period " + period.seconds() + " s (autocorrelation "
                + f2(period.correlation()) + "): one period ago " + lead + " s later it was " + f2(ahead)
                + " × level " + f2(level)));
    }

    /**
     * Whether the period has just missed: what it forecasts for the last {@value #MISS_SECONDS} s (one period
     * before them, times the level ratio) is more than {@value #MISS_FACTOR} times what came, for each of them. A
     * forecast rise that did not come is no reason to keep instances, nor to start more; its text, if so.
     */
    static Optional<String> missed(double[] demand, int size, Period period) {
        int ago = size - period.seconds();
        if (ago < LEVEL_SECONDS + MISS_SECONDS) {
            return Optional.empty();
        }
        double level = level(demand, size, ago);
        double forecast = 0;
        double came = 0;
        for (int i = size - MISS_SECONDS; i < size; i++) {
            double expected = demand[i - period.seconds()] * level;
            if (!(expected > MISS_FACTOR * demand[i])) {
                return Optional.empty();
            }
            forecast += expected;
            came += demand[i];
        }
        return Optional.of("period " + period.seconds() + " s missed: it forecast " + f2(forecast / MISS_SECONDS)
                + " for the last " + MISS_SECONDS + " s, " + f2(came / MISS_SECONDS) + " came");
    }

    /** Mean of the last 60 s ÷ mean of the same 60 s one period ({@code ago}) earlier, within [0.5, 2]. */
    private static double level(double[] demand, int size, int ago) {
        double then = Window.mean(demand, ago - LEVEL_SECONDS, ago);
        return then > 0 ? Math.max(0.5, Math.min(2.0, Window.mean(demand, size - LEVEL_SECONDS, size) / then)) : 1.0;
    }

    static Optional<Prediction> trend(double[] demand, int size, int window, double minR2, int lead) {
        if (size < window) {
            return Optional.empty();
        }
        LeastSquares fit = LeastSquares.of(demand, size, window);
        if (fit == null || fit.syy() == 0 || fit.sxy() <= 0) {
            return Optional.empty();
        }
        double slope = fit.slope();
        double r2 = fit.sxy() * fit.sxy() / (fit.sxx() * fit.syy());
        if (r2 < minR2) {
            return Optional.empty();
        }
        double forecast = fit.meanY() + slope * (window - 1 + lead - fit.meanX());
        return Optional.of(new Prediction(forecast, "trend +" + f2(slope) + "/s over " + window + " s (R² "
                + f2(r2) + ") reaches " + f2(forecast) + " in " + lead + " s"));
    }

    /**
     * The least-squares slope of the last {@code window} seconds (instance-units per second) when the load falls
     * steadily: the slope lies more than {@value #FALL_SIGMAS} of its standard errors below 0, and the line fits —
     * what it leaves (its residuals' standard deviation) is at most {@value #FALL_FIT} × the per-second
     * {@code noise}: a line through a step leaves the step. 0 otherwise (rising, flat, a step, no noise estimate).
     */
    static double falling(double[] demand, int size, int window, double noise) {
        if (size < window || window < 3 || !(noise > 0)) {
            return 0;
        }
        LeastSquares fit = LeastSquares.of(demand, size, window);
        if (fit == null) {
            return 0;
        }
        double slope = fit.slope();
        double residual = Math.max(0, fit.syy() - slope * fit.sxy()) / (window - 2);
        double se = Math.sqrt(residual / fit.sxx());
        return slope + FALL_SIGMAS * se < 0 && Math.sqrt(residual) <= FALL_FIT * noise ? slope : 0;
    }

    /** The sums of a least-squares line through the last {@code window} seconds (x = 0 .. window − 1). */
    private record LeastSquares(double meanX, double meanY, double sxx, double sxy, double syy) {
        /** Null when the window's mean is not a number (a gap in the history). */
        static LeastSquares of(double[] demand, int size, int window) {
            int from = size - window;
            double meanX = (window - 1) / 2.0;
            double meanY = Window.mean(demand, from, size);
            if (!Double.isFinite(meanY)) {
                return null;
            }
            double sxy = 0;
            double sxx = 0;
            double syy = 0;
            for (int i = 0; i < window; i++) {
                double dx = i - meanX;
                double dy = demand[from + i] - meanY;
                sxy += dx * dy;
                sxx += dx * dx;
                syy += dy * dy;
            }
            return new LeastSquares(meanX, meanY, sxx, sxy, syy);
        }

        double slope() {
            return sxy / sxx;
        }
    }
}

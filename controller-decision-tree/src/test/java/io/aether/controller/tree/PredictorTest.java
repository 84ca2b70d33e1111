package io.aether.controller.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PredictorTest {

    private static final int LEAD = 35;

    @Test
    void aSlowSineIsNotTakenForAShortPeriod() {
        // Two hours' period seen for 50 minutes: every short lag correlates ~1, none clearly better than half of it.
        double[] demand = new double[3000];
        for (int t = 0; t < demand.length; t++) {
            demand[t] = 10 - 8 * Math.cos(2 * Math.PI * t / 7200.0);
        }
        assertEquals(Optional.empty(), Predictor.bestPeriod(demand, demand.length, TreeRules.SEASONAL_PERIODS, 0.8,
                LEAD));
    }

    @Test
    void aSineIsFoundAtItsPeriod() {
        Random random = new Random(3);
        double[] demand = new double[1800];
        for (int t = 0; t < demand.length; t++) {
            demand[t] = (10 - 8 * Math.cos(2 * Math.PI * t / 600.0)) * (1 + 0.05 * random.nextGaussian());
        }
        assertEquals(600, Predictor.bestPeriod(demand, demand.length, TreeRules.SEASONAL_PERIODS, 0.8, LEAD)
                .orElseThrow().seconds());
    }

    @Test
    void aSpikeEvery720SecondsIsFoundAndForecastLeadSecondsAhead() {
        // 60-s spikes to 24 instance-units on 4, every 720 s from 600, with 3% noise: the spike trace's shape.
        Random random = new Random(5);
        double[] demand = new double[2010];
        for (int t = 0; t < demand.length; t++) {
            boolean spike = t >= 600 && (t - 600) % 720 < 60;
            demand[t] = (spike ? 24 : 4) * (1 + 0.03 * random.nextGaussian());
        }
        Predictor.Period period = Predictor.bestPeriod(demand, demand.length, TreeRules.SEASONAL_PERIODS, 0.8, LEAD)
                .orElseThrow();
        assertEquals(720, period.seconds());
        // Now is second 2009, 31 s before the third spike (at 2040): the forecast is the spike's level.
        Predictor.Prediction forecast = Predictor.seasonal(demand, demand.length, period, LEAD).orElseThrow();
        assertTrue(forecast.demand() > 20 && forecast.demand() < 28, forecast.why());
        // 51 s before it, the spike is beyond the lead: the forecast is the base.
        Predictor.Prediction early = Predictor.seasonal(demand, demand.length - 20, period, LEAD).orElseThrow();
        assertTrue(early.demand() < 5, early.why());
    }

    @Test
    void aPeriodWhoseSpikeDoesNotComeHasMissedFiveSecondsLater() {
        // Spikes every 720 s from 600 as above, but the third (due at 2040) does not come.
        Random random = new Random(7);
        double[] demand = new double[2100];
        for (int t = 0; t < demand.length; t++) {
            boolean spike = t >= 600 && t < 2040 && (t - 600) % 720 < 60;
            demand[t] = (spike ? 24 : 4) * (1 + 0.03 * random.nextGaussian());
        }
        Predictor.Period period = new Predictor.Period(720, 0.95);
        // Before the spike was due, and in its first 4 s: no miss (a spike may come a few seconds late).
        assertTrue(Predictor.missed(demand, 2040, period).isEmpty());
        assertTrue(Predictor.missed(demand, 2044, period).isEmpty());
        // Its fifth second without it: the period missed, and says by how much.
        String missed = Predictor.missed(demand, 2045, period).orElseThrow();
        assertTrue(missed.matches("period 720 s missed: it forecast \\d+\\.\\d\\d for the last 5 s, [34]\\.\\d\\d came"),
                missed);
        // When the spike does come, the period has not missed.
        double[] came = demand.clone();
        for (int t = 2040; t < 2100; t++) {
            came[t] = 24;
        }
        assertTrue(Predictor.missed(came, 2060, period).isEmpty());
    }

    @Test
    void aSteadyFallIsFallingButNoiseAStepOrARiseIsNot() {
        // 60 s at 4 % noise around 14 instance-units: σ 0.56 per second.
        Random random = new Random(7);
        double sigma = 14 * 0.04;
        double[] fall = new double[60];
        double[] flat = new double[60];
        double[] step = new double[60];
        double[] rise = new double[60];
        for (int t = 0; t < 60; t++) {
            double noise = 1 + 0.04 * random.nextGaussian();
            fall[t] = (14 - 0.02 * t) * noise;
            flat[t] = 14 * noise;
            // The load stepped down 30 s ago: a line through it falls, but leaves the step.
            step[t] = (t < 30 ? 18 : 14) * noise;
            rise[t] = (14 + 0.02 * t) * noise;
        }
        double slope = Predictor.falling(fall, 60, 60, sigma);
        assertTrue(slope < -0.01 && slope > -0.03, "slope " + slope);
        assertEquals(0.0, Predictor.falling(flat, 60, 60, sigma));
        assertEquals(0.0, Predictor.falling(step, 60, 60, sigma));
        assertEquals(0.0, Predictor.falling(rise, 60, 60, sigma));
        // Without a noise estimate nothing counts as falling.
        assertEquals(0.0, Predictor.falling(fall, 60, 60, 0));
    }
}

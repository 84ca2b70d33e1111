package io.aether.bench.autoscale;

import java.util.Random;

/**
 * The shipped trace shapes, in a service whose instance saturates at 100 requests/s (see
 * {@link ServiceParams#defaults()}). Each is deterministic for a seed; noise is Gaussian and relative.
 */
public enum TraceGenerator {

    /** 300 rps for 10 min, a step to 1,200 rps (3× the provisioned capacity at 70%) for 30 min, 300 for 20 min. */
    STEP {
        @Override
        double at(int t, Random random) {
            double base = t < 600 ? 300 : t < 2400 ? 1200 : 300;
            return base * (1 + 0.02 * random.nextGaussian());
        }

        @Override
        int seconds() {
            return 3600;
        }
    },
    /** 200 rps, rising linearly to 2,000 over 30 min, held 10 min, falling back over 20 min. */
    RAMP {
        @Override
        double at(int t, Random random) {
            double base;
            if (t < 300) {
                base = 200;
            } else if (t < 2100) {
                base = 200 + 1800.0 * (t - 300) / 1800;
            } else if (t < 2700) {
                base = 2000;
            } else {
                base = 2000 - 1800.0 * Math.min(1, (t - 2700) / 1200.0);
            }
            return base * (1 + 0.02 * random.nextGaussian());
        }

        @Override
        int seconds() {
            return 4200;
        }
    },
    /** A compressed day: a sine with a 1 h period between 200 and 1,800 rps, 5% noise, three periods. */
    DIURNAL {
        @Override
        double at(int t, Random random) {
            double base = 1000 - 800 * Math.cos(2 * Math.PI * t / 3600.0);
            return base * (1 + 0.05 * random.nextGaussian());
        }

        @Override
        int seconds() {
            return 3 * 3600;
        }
    },
    /** 400 rps with four 60 s spikes to 2,400 rps (6×), 12 min apart. */
    SPIKE {
        @Override
        double at(int t, Random random) {
            boolean inSpike = t >= 600 && (t - 600) % 720 < 60 && t < 600 + 4 * 720;
            return (inSpike ? 2400 : 400) * (1 + 0.03 * random.nextGaussian());
        }

        @Override
        int seconds() {
            return 3600;
        }
    },
    /** A random walk around 800 rps (bounded to 300..1,600) with 20% per-second noise. */
    NOISY {
        @Override
        double at(int t, Random random) {
            throw new UnsupportedOperationException("the noisy trace is a walk: see fill");
        }

        @Override
        void fill(double[] values, Random random) {
            double walk = 800;
            for (int t = 0; t < values.length; t++) {
                walk = Math.max(300, Math.min(1600, walk + 15 * random.nextGaussian()));
                values[t] = walk * (1 + 0.2 * random.nextGaussian());
            }
        }

        @Override
        int seconds() {
            return 3600;
        }
    };

    /** The load at second {@code t} of a shape that is a function of time plus independent noise. */
    abstract double at(int t, Random random);

    abstract int seconds();

    void fill(double[] values, Random random) {
        for (int t = 0; t < values.length; t++) {
            values[t] = at(t, random);
        }
    }

    /** The trace for {@code seed}, named after the shape ({@code step}, {@code ramp}, ...). */
    public Trace generate(long seed) {
        double[] values = new double[seconds()];
        fill(values, new Random(seed));
        for (int t = 0; t < values.length; t++) {
            values[t] = Math.max(0, values[t]);
        }
        return new Trace(name().toLowerCase(java.util.Locale.ROOT), values);
    }
}

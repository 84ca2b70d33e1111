package io.aether.core.consensus;

/** The common coin: a pure function of (seed, slot, round) that every replica computes identically. */
final class Coin {
    private Coin() {
    }

    static int flip(long seed, long slot, int round) {
        long z = seed + slot * 0x9E3779B97F4A7C15L + (long) round * 0xC2B2AE3D27D4EB4FL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (int) (z & 1);
    }
}

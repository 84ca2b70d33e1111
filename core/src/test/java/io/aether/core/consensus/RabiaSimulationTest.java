package io.aether.core.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Runs the deterministic cluster simulation over many seeds. {@code -Daether.sim.seed=S} replays one seed,
 * {@code -Daether.sim.seeds=N} changes how many are run (default 10,000).
 */
class RabiaSimulationTest {
    private static final System.Logger LOG = System.getLogger(RabiaSimulationTest.class.getName());

    static String reproduce(long seed) {
        return "./mvnw -pl core test -Dtest=RabiaSimulationTest -Daether.sim.seed=" + seed;
    }

    @Test
    void everySeedKeepsAgreementLinearizabilityAndLiveness() throws Exception {
        String one = System.getProperty("aether.sim.seed");
        if (one != null) {
            Simulation.Result r = Simulation.run(Long.parseLong(one));
            if (!r.ok()) {
                fail("seed " + r.seed() + " failed: " + r.failure() + "\nreproduce: " + reproduce(r.seed()));
            }
            return;
        }
        int seeds = Integer.getInteger("aether.sim.seeds", 10_000);
        long base = Long.getLong("aether.sim.baseSeed", 1L);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong slots = new AtomicLong();
        AtomicLong ops = new AtomicLong();
        AtomicLong unknown = new AtomicLong();
        AtomicLong inconclusive = new AtomicLong();
        long started = System.nanoTime();
        List<Future<Simulation.Result>> futures = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            long seed = base + i;
            futures.add(pool.submit(() -> Simulation.run(seed)));
        }
        List<Simulation.Result> failures = new ArrayList<>();
        for (Future<Simulation.Result> fu : futures) {
            Simulation.Result r = fu.get();
            slots.addAndGet(r.slots());
            ops.addAndGet(r.completedOps());
            unknown.addAndGet(r.unknownOps());
            inconclusive.addAndGet(r.inconclusiveKeys());
            if (!r.ok()) {
                failures.add(r);
            }
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        double secs = (System.nanoTime() - started) / 1e9;
        LOG.log(System.Logger.Level.INFO, String.format("simulation: %d seeds in %.1f s (%.0f seeds/s), %d slots,"
                + " %d acknowledged ops, %d ops of unknown outcome, %d per-key histories too large to check",
                seeds, secs, seeds / secs, slots.get(), ops.get(), unknown.get(), inconclusive.get()));
        if (!failures.isEmpty()) {
            StringBuilder all = new StringBuilder();
            for (Simulation.Result r : failures.subList(0, Math.min(30, failures.size()))) {
                all.append("\n  seed ").append(r.seed()).append(": ").append(r.failure().lines().findFirst().orElse(""));
            }
            LOG.log(System.Logger.Level.WARNING, "failing seeds:" + all);
            Simulation.Result first = failures.get(0);
            fail(failures.size() + " of " + seeds + " seeds failed; first: seed " + first.seed() + ": "
                    + first.failure() + "\nreproduce: " + reproduce(first.seed()));
        }
        assertEquals(0, failures.size());
    }
}

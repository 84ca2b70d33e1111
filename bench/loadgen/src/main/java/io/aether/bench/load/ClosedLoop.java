package io.aether.bench.load;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code concurrency} logical clients, each issuing its next operation when the previous one completes, for a
 * fixed duration. Latency goes to an HdrHistogram recorder; the longest time without any completion is
 * tracked (the unavailability gap when a node is killed).
 */
public final class ClosedLoop {

    private ClosedLoop() {
    }

    public static LoadResult run(String system, String phase, int concurrency, double seconds,
                          Function<Long, CompletableFuture<?>> operation, Runnable midway) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicLong ops = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong sequence = new AtomicLong();
        AtomicLong lastCompletion = new AtomicLong(System.nanoTime());
        AtomicLong longestGap = new AtomicLong();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(concurrency);
        for (int c = 0; c < concurrency; c++) {
            issue(operation, sequence, recorder, ops, errors, lastCompletion, longestGap, end, done);
        }
        if (midway != null) {
            Thread.sleep((long) (seconds * 500)); // the benchmark's schedule: act at half time
            midway.run();
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        Histogram histogram = recorder.getIntervalHistogram();
        return new LoadResult(system, phase, concurrency, ops.get(), errors.get(), elapsed, histogram,
                midway == null ? -1 : longestGap.get() / 1_000_000);
    }

    private static void issue(Function<Long, CompletableFuture<?>> operation, AtomicLong sequence, Recorder recorder,
                              AtomicLong ops, AtomicLong errors, AtomicLong lastCompletion, AtomicLong longestGap,
                              long end, java.util.concurrent.CountDownLatch done) {
        long t0 = System.nanoTime();
        if (t0 >= end) {
            done.countDown();
            return;
        }
        operation.apply(sequence.incrementAndGet()).whenComplete((r, e) -> {
            long t1 = System.nanoTime();
            if (e == null) {
                recorder.recordValue(Math.max(1, (t1 - t0) / 1000));
                ops.incrementAndGet();
                long previous = lastCompletion.getAndSet(t1);
                longestGap.accumulateAndGet(t1 - previous, Math::max);
            } else {
                errors.incrementAndGet();
            }
            issue(operation, sequence, recorder, ops, errors, lastCompletion, longestGap, end, done);
        });
    }
}

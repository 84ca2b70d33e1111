package io.aether.node;

import io.aether.core.client.KvClient;
import io.aether.core.consensus.LinearizabilityChecker;
import io.aether.core.consensus.SimKv;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients that put unique values into, and read linearizably from, a few keys of a real cluster while it is
 * being crashed, recording each operation's invocation and response time. The history is checked with the same
 * Wing–Gong checker as the simulation: a stale or lost read, or a write that appears twice, is a violation.
 * A request that fails has an unknown outcome: it may or may not have taken effect.
 */
final class RegisterHistory {

    static final int KEYS = 4;
    private static final String PREFIX = "lin/k";

    private final ConcurrentLinkedQueue<LinearizabilityChecker.Operation> operations = new ConcurrentLinkedQueue<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger values = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final long originNanos = System.nanoTime();

    /**
     * With {@code plantedStaleReads} a client answers every other read of a key from the last value it saw for
     * that key instead of asking the cluster: the planted bug (a read cache) that shows the check fails on a real
     * cluster's history.
     */
    private final boolean plantedStaleReads;

    /**
     * Starts one thread per client (give them clients connected to different nodes), each alternating randomly
     * between puts and gets on random keys.
     */
    RegisterHistory(List<KvClient> clients, long seed, boolean plantedStaleReads) {
        this.plantedStaleReads = plantedStaleReads;
        for (int c = 0; c < clients.size(); c++) {
            Random random = new Random(seed + c);
            KvClient kv = clients.get(c);
            int[] seen = new int[KEYS];
            Thread t = new Thread(() -> {
                while (running.get()) {
                    int key = random.nextInt(KEYS);
                    if (random.nextBoolean()) {
                        put(kv, key);
                    } else if (plantedStaleReads && random.nextBoolean()) {
                        long now = micros();
                        record(now, now, new SimKv.Op(SimKv.GET, key, 0, 0), seen[key]);
                    } else {
                        seen[key] = get(kv, key);
                    }
                }
            }, "register-client-" + c);
            t.start();
            threads.add(t);
        }
    }

    private void put(KvClient kv, int key) {
        int value = values.incrementAndGet();
        long invoked = micros();
        SimKv.Op op = new SimKv.Op(SimKv.PUT, key, value, 0);
        try {
            kv.put(PREFIX + key, String.valueOf(value).getBytes(StandardCharsets.UTF_8)).get(60, TimeUnit.SECONDS);
            record(invoked, micros(), op, 0);
        } catch (Exception e) {
            record(invoked, Long.MAX_VALUE, op, 0);
        }
    }

    /** Reads linearizably and records the read; returns the value read (0 when the read failed). */
    private int get(KvClient kv, int key) {
        long invoked = micros();
        SimKv.Op op = new SimKv.Op(SimKv.GET, key, 0, 0);
        try {
            int value = kv.get(PREFIX + key).get(60, TimeUnit.SECONDS)
                    .map(v -> Integer.parseInt(new String(v.value(), StandardCharsets.UTF_8))).orElse(0);
            record(invoked, micros(), op, value);
            return value;
        } catch (Exception e) {
            record(invoked, Long.MAX_VALUE, op, 0); // a failed read constrains nothing; the checker drops it
            return 0;
        }
    }

    private void record(long invoked, long responded, SimKv.Op op, int result) {
        operations.add(new LinearizabilityChecker.Operation(ids.getAndIncrement(), invoked, responded, op, result));
    }

    private long micros() {
        return (System.nanoTime() - originNanos) / 1000;
    }

    /** Stops the clients (waiting for their last operation) and checks the history. */
    LinearizabilityChecker.Verdict stopAndCheck() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(90));
        }
        return LinearizabilityChecker.check(List.copyOf(operations), KEYS);
    }

    int size() {
        return operations.size();
    }

    long unknownOutcomes() {
        return operations.stream().filter(LinearizabilityChecker.Operation::unknown).count();
    }
}

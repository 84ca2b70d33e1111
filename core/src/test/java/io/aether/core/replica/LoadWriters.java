package io.aether.core.replica;

import io.aether.core.client.KvClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Threads writing unique keys under a prefix through one client until closed; counts acknowledgements. */
final class LoadWriters implements AutoCloseable {

    private final AtomicLong acked = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong next = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    LoadWriters(KvClient client, String prefix, int count) {
        for (int w = 0; w < count; w++) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    try {
                        client.put(prefix + next.incrementAndGet(), "x".getBytes(StandardCharsets.UTF_8))
                                .get(30, TimeUnit.SECONDS);
                        acked.incrementAndGet();
                    } catch (Exception e) {
                        return; // the test's progress assertion reports the stall
                    }
                }
            }, "load-writer-" + w);
            t.start();
            threads.add(t);
        }
    }

    long acked() {
        return acked.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(30_000);
        }
    }
}

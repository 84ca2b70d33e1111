package io.aether.node;

import java.util.function.Supplier;

/** Deadline-bounded polling for the in-process node tests (never a bare sleep as synchronisation). */
public final class Await {

    private static final long DEADLINE_NANOS = 30_000_000_000L;
    private static final long POLL_MILLIS = 50;

    private Await() {
    }

    /** Polls {@code condition} until it holds; fails naming {@code what} after 30 s. */
    public static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 30 s waiting for " + what);
            }
            Thread.sleep(POLL_MILLIS); // polling interval of a deadline-bounded wait
        }
    }
}

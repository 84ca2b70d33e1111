package io.aether.core.net;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Future;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Deadline-bounded waiting and free ports for the transport tests. */
final class TestSupport {
    static final Duration DEADLINE = Duration.ofSeconds(10);

    private TestSupport() {}

    /** Polls {@code condition} until it holds, failing with {@code what} after {@link #DEADLINE}. */
    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not true within " + DEADLINE.toSeconds() + " s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("future did not succeed within " + DEADLINE.toSeconds() + " s", e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError("no free port on loopback", e);
        }
    }
}

package io.aether.core.net;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code close()} for the transport's closeables: wait for the async close, unless on an event loop. */
final class BlockingClose {

    static final long TIMEOUT_SECONDS = 10;

    private BlockingClose() {
    }

    /** Waits up to {@link #TIMEOUT_SECONDS} for {@code done} off the event loop; {@code what} names the closeable. */
    static void await(Future<Void> done, String what) {
        if (Context.isOnVertxThread()) {
            return;
        }
        try {
            done.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted while closing", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(what + ": close did not complete within " + TIMEOUT_SECONDS + " s", e);
        }
    }
}

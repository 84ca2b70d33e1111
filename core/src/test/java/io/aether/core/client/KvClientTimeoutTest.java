package io.aether.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.net.HostAndPort;
import io.aether.core.testing.RealKv;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KvClientTimeoutTest {

    @Test
    void everyRequestFailsAtItsDeadlineWhenMoreAreQueuedThanTheSessionsCarry() throws Exception {
        HostAndPort nobody = new HostAndPort("127.0.0.1", RealKv.freePort());
        Vertx vertx = Vertx.vertx();
        KvClient client = KvClient.connect(vertx, KvClientConfig.defaults(List.of(nobody), 1, "unanswered")
                .withSessions(1).withRequestTimeout(Duration.ofMillis(300)));
        try {
            // One session carries SESSION_WINDOW requests; the rest wait for a slot. When the first ones expire,
            // their slots go to waiting requests, which must then expire too instead of hanging.
            int requests = 3 * KvClientConfig.SESSION_WINDOW;
            List<CompletableFuture<?>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                futures.add(client.put("t/" + i, "v".getBytes(StandardCharsets.UTF_8)));
            }
            int failed = 0;
            for (CompletableFuture<?> f : futures) {
                try {
                    f.get(20, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    assertTrue(e.getCause() instanceof KvException, "fails with the client's error: " + e.getCause());
                    assertTrue(e.getCause().getMessage().contains("did not complete within 300 ms"),
                            e.getCause().getMessage());
                    failed++;
                }
            }
            assertEquals(requests, failed, "every request reached its deadline and failed");
        } finally {
            client.close();
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}

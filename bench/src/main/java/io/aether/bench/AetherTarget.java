package io.aether.bench;

import io.aether.bench.load.KvTarget;

import io.aether.core.client.KvClient;
import io.aether.core.client.KvClientConfig;
import io.aether.core.net.HostAndPort;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Aether's KV through {@link KvClient}: several clients, each with enough sessions for its share of the load. */
final class AetherTarget implements KvTarget {

    private final Vertx vertx = Vertx.vertx();
    private final List<KvClient> clients = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    AetherTarget(List<HostAndPort> servers, int concurrency) {
        int perClient = 256;
        int count = Math.max(1, (concurrency + perClient - 1) / perClient);
        for (int i = 0; i < count; i++) {
            // Rotate the address list so connections spread over the core nodes.
            List<HostAndPort> rotated = new ArrayList<>(servers);
            java.util.Collections.rotate(rotated, -i);
            int sessions = (perClient + KvClientConfig.SESSION_WINDOW - 1) / KvClientConfig.SESSION_WINDOW;
            clients.add(KvClient.connect(vertx, KvClientConfig.defaults(rotated, 1, "bench-" + i)
                    .withSessions(sessions).withRequestTimeout(Duration.ofSeconds(30))));
        }
    }

    @Override
    public String name() {
        return "aether";
    }

    private KvClient pick() {
        return clients.get(Math.floorMod(next.getAndIncrement(), clients.size()));
    }

    @Override
    public CompletableFuture<?> put(String key, byte[] value) {
        return pick().put(key, value);
    }

    @Override
    public CompletableFuture<?> get(String key) {
        return pick().get(key);
    }

    @Override
    public void close() {
        clients.forEach(KvClient::close);
        vertx.close();
    }
}

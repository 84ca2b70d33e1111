package io.aether.core.endpoint;

import io.aether.core.client.KvClient;
import io.aether.core.client.KvClientConfig;
import io.aether.core.net.HostAndPort;
import io.aether.core.replica.ReplicaConfig;
import io.aether.core.replica.ReplicaNode;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A real single-node KV (replica on loopback, data in a temp dir) with one client, for tests of KV readers. */
public final class SingleNodeKv implements AutoCloseable {

    public final Vertx vertx = Vertx.vertx();
    public final KvClient client;
    private final ReplicaNode node;

    public SingleNodeKv(Path dir) throws IOException {
        HostAndPort address = new HostAndPort("127.0.0.1", freePort());
        node = ReplicaNode.start(vertx, ReplicaConfig.of("kv0", Map.of("kv0", address), address.host(),
                address.port(), dir.resolve("kv0")));
        client = KvClient.connect(vertx, KvClientConfig.defaults(List.of(address), 1, "test-client")
                .withRequestTimeout(Duration.ofSeconds(10)));
    }

    public void put(String key, String value) {
        try {
            client.put(key, value.getBytes(java.nio.charset.StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("put " + key + " failed", e);
        }
    }

    public void delete(String key) {
        try {
            client.delete(key).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("delete " + key + " failed", e);
        }
    }

    /** Polls {@code condition} every 5 ms until it holds, failing after 10 s. */
    public static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 10 s waiting for " + what);
            }
            try {
                Thread.sleep(5); // polling interval of a deadline-bounded wait, not synchronization
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.close();
        node.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}

package io.aether.core.testing;

import io.aether.core.client.KvClient;
import io.aether.core.client.KvClientConfig;
import io.aether.core.kv.KvLimits;
import io.aether.core.net.HostAndPort;
import io.aether.core.replica.ReplicaConfig;
import io.aether.core.replica.ReplicaNode;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node KV for tests of KV readers and writers: one replica on a free loopback port with its data in
 * {@code dir}, its own Vert.x, and one client ({@link #client}). {@link #connect} makes more clients, e.g. one per
 * simulated node. Closing it closes the client, the replica and the Vert.x.
 */
public class RealKv implements AutoCloseable {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    public final Vertx vertx = Vertx.vertx();
    public final KvClient client;
    private final HostAndPort address;
    private final ReplicaNode node;

    public RealKv(Path dir) throws IOException {
        this(dir, KvLimits.DEFAULTS);
    }

    /** A KV with these limits, e.g. a short watch history to make compaction happen. */
    public RealKv(Path dir, KvLimits limits) throws IOException {
        address = new HostAndPort("127.0.0.1", freePort());
        ReplicaConfig c = ReplicaConfig.of("kv0", Map.of("kv0", address), address.host(), address.port(),
                dir.resolve("kv0"));
        node = ReplicaNode.start(vertx, new ReplicaConfig(c.nodeId(), c.voters(), c.listenHost(), c.listenPort(),
                c.clusterId(), c.secret(), c.dataDir(), limits, c.snapshotEverySlots(), c.maxInbox(),
                c.retainDecidedSlots(), c.wal()));
        client = connect("test-client");
    }

    /** The replica's client address. */
    public HostAndPort address() {
        return address;
    }

    /** A further client of this KV named {@code name}, on its Vert.x; the caller closes it. */
    public KvClient connect(String name) {
        return KvClient.connect(vertx, KvClientConfig.defaults(List.of(address), 1, name)
                .withRequestTimeout(REQUEST_TIMEOUT));
    }

    public void put(String key, String value) {
        try {
            client.put(key, value.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
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

    /** A TCP port free on this machine right now. */
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

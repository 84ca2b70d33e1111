package io.aether.core.replica;

import io.aether.core.client.KvClient;
import io.aether.core.client.KvClientConfig;
import io.aether.core.net.HostAndPort;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Replicas on loopback in one JVM, each with its own data directory and real TCP links. */
final class ReplicaCluster implements AutoCloseable {

    final Vertx vertx = Vertx.vertx();
    final Map<String, HostAndPort> voters = new LinkedHashMap<>();
    final ReplicaNode[] nodes;
    private final Path dir;
    private final List<KvClient> clients = new ArrayList<>();

    /** Small segments (with a 16 KiB record bound; test batches are far smaller) so that truncation, which drops whole segments, shows in tests. */
    private static final long WAL_SEGMENT_BYTES = 64L << 10;
    private final long snapshotEverySlots;
    private final int retainDecidedSlots;
    private final boolean productionWal;

    ReplicaCluster(Path dir, int size) throws IOException {
        this(dir, size, 10_000, 10_000);
    }

    ReplicaCluster(Path dir, int size, long snapshotEverySlots, int retainDecidedSlots) throws IOException {
        this(dir, size, snapshotEverySlots, retainDecidedSlots, false);
    }

    /** With {@code productionWal}, the production WAL options (4 MiB records: batches of large values fit). */
    ReplicaCluster(Path dir, int size, long snapshotEverySlots, int retainDecidedSlots, boolean productionWal)
            throws IOException {
        this.dir = dir;
        this.snapshotEverySlots = snapshotEverySlots;
        this.retainDecidedSlots = retainDecidedSlots;
        this.productionWal = productionWal;
        for (int i = 0; i < size; i++) {
            voters.put("n" + i, new HostAndPort("127.0.0.1", freePort()));
        }
        nodes = new ReplicaNode[size];
        for (int i = 0; i < size; i++) {
            start(i);
        }
    }

    ReplicaConfig config(int i) {
        String id = "n" + i;
        ReplicaConfig base = ReplicaConfig.of(id, voters, "127.0.0.1", voters.get(id).port(), dir.resolve(id));
        if (productionWal) {
            return base.withRetention(snapshotEverySlots, retainDecidedSlots, base.wal().segmentBytes());
        }
        return new ReplicaConfig(base.nodeId(), base.voters(), base.listenHost(), base.listenPort(), base.clusterId(),
                base.secret(), base.dataDir(), base.limits(), base.snapshotEverySlots(), base.maxInbox(),
                base.retainDecidedSlots(), new io.aether.core.storage.WalOptions(WAL_SEGMENT_BYTES, 16 << 10, 16 << 10))
                .withRetention(snapshotEverySlots, retainDecidedSlots, WAL_SEGMENT_BYTES);
    }

    void start(int i) throws IOException {
        nodes[i] = ReplicaNode.start(vertx, config(i));
    }

    void stop(int i) {
        nodes[i].close();
        nodes[i] = null;
    }

    KvClient client(String name, int... servers) {
        List<HostAndPort> addresses = new ArrayList<>();
        for (int s : servers) {
            addresses.add(voters.get("n" + s));
        }
        KvClient client = KvClient.connect(vertx, KvClientConfig.defaults(addresses, 1, name)
                .withRequestTimeout(Duration.ofSeconds(10)));
        clients.add(client);
        return client;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5); // polling interval of a deadline-bounded wait, not synchronization
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        clients.forEach(KvClient::close);
        for (ReplicaNode n : nodes) {
            if (n != null) {
                n.close();
            }
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}

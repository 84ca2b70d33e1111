package io.aether.core.control;

import io.aether.core.client.KvClient;
import io.aether.core.client.KvClientConfig;
import io.aether.core.net.HostAndPort;
import io.aether.core.replica.ReplicaConfig;
import io.aether.core.replica.ReplicaNode;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real single-replica KV over TCP and the clients tests open on it. */
final class RealKv implements AutoCloseable {

    final Vertx vertx = Vertx.vertx();
    private final ReplicaNode replica;
    private final HostAndPort address;
    private final List<KvClient> clients = new ArrayList<>();

    RealKv(Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        address = new HostAndPort("127.0.0.1", port);
        replica = ReplicaNode.start(vertx, ReplicaConfig.of("r0", Map.of("r0", address), "127.0.0.1", port,
                dir.resolve("r0")));
    }

    KvClient client(String name) {
        KvClient c = KvClient.connect(vertx, KvClientConfig.defaults(List.of(address), 1, name)
                .withRequestTimeout(Duration.ofSeconds(10)));
        clients.add(c);
        return c;
    }

    @Override
    public void close() {
        clients.forEach(KvClient::close);
        replica.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}

package io.aether.bench.load;

import java.util.concurrent.CompletableFuture;

/** One system under load: the same operations for Aether's KvClient and jetcd. */
public interface KvTarget extends AutoCloseable {

    String name();

    CompletableFuture<?> put(String key, byte[] value);

    /** A linearizable read. */
    CompletableFuture<?> get(String key);

    @Override
    void close();
}

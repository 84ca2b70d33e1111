package io.aether.bench;

import java.util.concurrent.CompletableFuture;

/** One system under load: the same operations for Aether's KvClient and jetcd. */
interface KvTarget extends AutoCloseable {

    String name();

    CompletableFuture<?> put(String key, byte[] value);

    /** A linearizable read. */
    CompletableFuture<?> get(String key);

    @Override
    void close();
}

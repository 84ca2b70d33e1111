package io.aether.bench.etcd;

import io.aether.bench.load.KvTarget;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** etcd through jetcd: several clients (gRPC channels) so one connection is not the bottleneck. */
public final class EtcdTarget implements KvTarget {

    private final List<Client> clients = new ArrayList<>();
    private final List<KV> kvs = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    public EtcdTarget(List<String> endpoints, int concurrency) {
        int count = Math.max(1, Math.min(8, concurrency / 128));
        for (int i = 0; i < count; i++) {
            Client client = Client.builder().endpoints(endpoints.toArray(String[]::new)).build();
            clients.add(client);
            kvs.add(client.getKVClient());
        }
    }

    @Override
    public String name() {
        return "etcd";
    }

    private KV pick() {
        return kvs.get(Math.floorMod(next.getAndIncrement(), kvs.size()));
    }

    @Override
    public CompletableFuture<?> put(String key, byte[] value) {
        return pick().put(ByteSequence.from(key.getBytes()), ByteSequence.from(value));
    }

    @Override
    public CompletableFuture<?> get(String key) {
        return pick().get(ByteSequence.from(key.getBytes())); // jetcd's default is a linearizable read
    }

    @Override
    public void close() {
        clients.forEach(Client::close);
    }
}

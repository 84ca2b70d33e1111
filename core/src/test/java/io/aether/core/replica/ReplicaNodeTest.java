package io.aether.core.replica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.client.KvClient;
import io.aether.core.kv.KeyValue;
import io.aether.core.kv.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three replicas over real TCP with real WALs: what a KV user relies on. */
class ReplicaNodeTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aWriteThroughOneNodeIsReadLinearizablyThroughAnother() throws Exception {
        try (ReplicaCluster cluster = new ReplicaCluster(dir, 3)) {
            KvClient writer = cluster.client("writer", 0);
            KvClient reader = cluster.client("reader", 2);
            long revision = writer.put("blueprints/shop/web", bytes("v1")).get(10, TimeUnit.SECONDS);
            Optional<KeyValue> read = reader.get("blueprints/shop/web").get(10, TimeUnit.SECONDS);
            assertTrue(read.isPresent());
            assertArrayEquals(bytes("v1"), read.get().value());
            assertEquals(revision, read.get().modRevision());
        }
    }

    @Test
    void concurrentClientsEachGetTheirOwnResult() throws Exception {
        try (ReplicaCluster cluster = new ReplicaCluster(dir, 3)) {
            List<CompletableFuture<Long>> writes = new ArrayList<>();
            KvClient[] clients = {cluster.client("a", 0), cluster.client("b", 1), cluster.client("c", 2)};
            for (int i = 0; i < 300; i++) {
                writes.add(clients[i % 3].put("k/" + i, bytes("v" + i)));
            }
            List<Long> revisions = new ArrayList<>();
            for (CompletableFuture<Long> w : writes) {
                revisions.add(w.get(20, TimeUnit.SECONDS));
            }
            assertEquals(300, revisions.stream().distinct().count(), "every write has its own revision");
            for (int i = 0; i < 300; i += 37) {
                KeyValue kv = clients[(i + 1) % 3].get("k/" + i).get(10, TimeUnit.SECONDS).orElseThrow();
                assertEquals(revisions.get(i), kv.modRevision(), "k/" + i + " carries the revision its writer got");
            }
        }
    }

    @Test
    void writesContinueWithOneNodeDownAndTheNodeCatchesUpAfterRestart() throws Exception {
        try (ReplicaCluster cluster = new ReplicaCluster(dir, 3)) {
            KvClient client = cluster.client("c", 0, 1);
            client.put("before", bytes("1")).get(10, TimeUnit.SECONDS);
            cluster.stop(2);
            for (int i = 0; i < 50; i++) {
                client.put("during/" + i, bytes("x")).get(10, TimeUnit.SECONDS);
            }
            cluster.start(2);
            long target = cluster.nodes[0].status().appliedSlot();
            ReplicaCluster.await("n2 to catch up to slot " + target, Duration.ofSeconds(20),
                    () -> cluster.nodes[2].status().appliedSlot() >= target);
            KvClient viaRestarted = cluster.client("r", 2);
            assertEquals(50, viaRestarted.rangeLocal("during/", 1000).get(10, TimeUnit.SECONDS).kvs().size());
        }
    }

    @Test
    void aClientWithOneSessionCompletesFarMoreConcurrentRequestsThanItsWindow() throws Exception {
        try (ReplicaCluster cluster = new ReplicaCluster(dir, 3)) {
            KvClient client = KvClient.connect(cluster.vertx, io.aether.core.client.KvClientConfig
                    .defaults(List.of(cluster.voters.get("n0"), cluster.voters.get("n1")), 1, "one-session")
                    .withSessions(1).withRequestTimeout(Duration.ofSeconds(20)));
            try {
                List<CompletableFuture<Long>> writes = new ArrayList<>();
                for (int i = 0; i < 2_000; i++) {
                    writes.add(client.put("many/" + i, bytes("x")));
                }
                CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                assertEquals(2_000, client.range("many/", 5_000).get(10, TimeUnit.SECONDS).kvs().size());
            } finally {
                client.close();
            }
        }
    }

    @Test
    void writesUnderLoadKeepFlowingWhenANodeStops() throws Exception {
        try (ReplicaCluster cluster = new ReplicaCluster(dir, 3)) {
            KvClient client = cluster.client("load", 0, 1, 2);
            try (LoadWriters writers = new LoadWriters(client, "load/", 16)) {
                ReplicaCluster.await("200 writes", Duration.ofSeconds(20), () -> writers.acked() >= 200);
                cluster.stop(1);
                long after = writers.acked();
                ReplicaCluster.await("200 more writes with n1 stopped", Duration.ofSeconds(20),
                        () -> writers.acked() >= after + 200);
            }
        }
    }

    @Test
    void writesKeepFlowingThroughRepeatedRestartsWithSnapshotsAndCatchUp() throws Exception {
        int restarts = Integer.getInteger("aether.replica.restarts", 12);
        java.util.Random random = new java.util.Random(7);
        try (ReplicaCluster cluster = new ReplicaCluster(dir, 3, 200, 64)) {
            KvClient client = cluster.client("load", 0, 1, 2);
            try (LoadWriters writers = new LoadWriters(client, "r/", 16)) {
                for (int r = 0; r < restarts; r++) {
                    int victim = random.nextInt(3);
                    long before = writers.acked();
                    awaitOrDump(cluster, "progress before restart " + r, () -> writers.acked() >= before + 300);
                    cluster.stop(victim);
                    long during = writers.acked();
                    awaitOrDump(cluster, "progress with n" + victim + " down (restart " + r + ")",
                            () -> writers.acked() >= during + 300);
                    cluster.start(victim);
                    awaitOrDump(cluster, "n" + victim + " ready again (restart " + r + ")",
                            () -> cluster.nodes[victim].status().ready());
                }
            }
        }
    }

    /** Waits like {@link ReplicaCluster#await}, and on timeout says where every replica stands. */
    private static void awaitOrDump(ReplicaCluster cluster, String what, java.util.function.BooleanSupplier condition) {
        try {
            ReplicaCluster.await(what, Duration.ofSeconds(20), condition);
        } catch (AssertionError e) {
            StringBuilder dump = new StringBuilder(e.getMessage());
            for (ReplicaNode n : cluster.nodes) {
                dump.append("\n  ").append(n == null ? "stopped" : n.status());
            }
            throw new AssertionError(dump.toString(), e);
        }
    }

    @Test
    void acknowledgedWritesSurviveARestartOfEveryNode() throws Exception {
        try (ReplicaCluster cluster = new ReplicaCluster(dir, 3)) {
            KvClient client = cluster.client("c", 0, 1, 2);
            for (int i = 0; i < 100; i++) {
                client.put("durable/" + i, bytes("v" + i)).get(10, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 3; i++) {
                cluster.stop(i);
            }
            for (int i = 0; i < 3; i++) {
                cluster.start(i);
            }
            KvClient after = cluster.client("after", 1);
            var page = after.range("durable/", 1000).get(20, TimeUnit.SECONDS);
            assertEquals(100, page.kvs().size());
        }
    }

    @Test
    void snapshotsTruncateTheWalAndRestartsRecoverFromThem() throws Exception {
        try (ReplicaCluster cluster = new ReplicaCluster(dir, 3, 40, 32)) {
            KvClient client = cluster.client("c", 0, 1, 2);
            for (int i = 0; i < 400; i++) {
                client.put("snap/" + (i % 50), bytes("v" + i)).get(10, TimeUnit.SECONDS);
            }
            ReplicaCluster.await("a snapshot on n0", Duration.ofSeconds(10),
                    () -> java.nio.file.Files.exists(dir.resolve("n0").resolve("snapshots"))
                            && listing(dir.resolve("n0").resolve("snapshots")).stream().anyMatch(f -> f.endsWith(".snap")));
            for (int i = 0; i < 3; i++) {
                cluster.stop(i);
            }
            for (int i = 0; i < 3; i++) {
                cluster.start(i);
            }
            KvClient after = cluster.client("after", 2);
            KeyValue kv = after.get("snap/49").get(20, TimeUnit.SECONDS).orElseThrow();
            assertArrayEquals(bytes("v399"), kv.value());
            assertEquals(50, after.range("snap/", 100).get(10, TimeUnit.SECONDS).kvs().size());
        }
    }

    @Test
    void everyReplicaTruncatesItsWalAndASealerRestartedAfterTruncationNeverReusesABatchId() throws Exception {
        try (ReplicaCluster cluster = new ReplicaCluster(dir, 3, 40, 32)) {
            KvClient viaN0 = cluster.client("only-n0", 0);
            for (int i = 0; i < 100; i++) {
                viaN0.put("t/" + (i % 20), bytes("v" + i)).get(10, TimeUnit.SECONDS);
            }
            // Then n0 seals nothing while the others write on: its WAL must still shrink, and what it forgets
            // with the truncated segments must not include its batch seq counter.
            KvClient viaN1 = cluster.client("only-n1", 1);
            for (int i = 0; i < 800; i++) {
                viaN1.put("u/" + (i % 20), bytes("v" + i)).get(10, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 3; i++) {
                Path wal = dir.resolve("n" + i).resolve("wal");
                ReplicaCluster.await("n" + i + " to drop its first WAL segment", Duration.ofSeconds(10),
                        () -> listing(wal).stream().noneMatch(f -> f.equals("00000000000000000000.wal")));
            }
            cluster.stop(0);
            cluster.start(0);
            KvClient again = cluster.client("n0-again", 0);
            for (int i = 0; i < 50; i++) {
                again.put("after/" + i, bytes("x")).get(10, TimeUnit.SECONDS);
            }
            assertEquals(50, again.range("after/", 100).get(10, TimeUnit.SECONDS).kvs().size());
        }
    }

    @Test
    void aNodeBehindTheRetainedLogCatchesUpFromAPeerSnapshot() throws Exception {
        try (ReplicaCluster cluster = new ReplicaCluster(dir, 3, 40, 32)) {
            KvClient client = cluster.client("c", 0, 1);
            client.put("first", bytes("1")).get(10, TimeUnit.SECONDS);
            cluster.stop(2);
            for (int i = 0; i < 300; i++) {
                client.put("gap/" + i, bytes("x")).get(10, TimeUnit.SECONDS);
            }
            cluster.start(2);
            long target = cluster.nodes[0].status().appliedSlot();
            ReplicaCluster.await("n2 to catch up past slot " + target + " through a snapshot", Duration.ofSeconds(30),
                    () -> cluster.nodes[2].status().appliedSlot() >= target);
            KvClient local = cluster.client("local", 2);
            assertEquals(300, local.rangeLocal("gap/", 1000).get(10, TimeUnit.SECONDS).kvs().size());
            assertTrue(listing(dir.resolve("n2").resolve("snapshots")).stream().anyMatch(f -> f.endsWith(".snap")),
                    "n2 saved the installed snapshot");
        }
    }

    @Test
    void aNodeCatchesUpThroughASnapshotLargerThanThePeerLinkQueue() throws Exception {
        // 48 MiB of values: more than a peer link's 32 MiB send queue, so the snapshot cannot go in one burst.
        try (ReplicaCluster cluster = new ReplicaCluster(dir, 3, 40, 32, true)) {
            KvClient client = cluster.client("c", 0, 1);
            client.put("first", bytes("1")).get(10, TimeUnit.SECONDS);
            cluster.stop(2);
            byte[] value = new byte[64 << 10];
            java.util.Arrays.fill(value, (byte) 'v');
            List<java.util.concurrent.CompletableFuture<?>> writes = new java.util.ArrayList<>();
            for (int i = 0; i < 768; i++) {
                writes.add(client.put(String.format("big/%04d", i), value));
                if (writes.size() == 32) {
                    for (var w : writes) {
                        w.get(30, TimeUnit.SECONDS);
                    }
                    writes.clear();
                }
            }
            for (var w : writes) {
                w.get(30, TimeUnit.SECONDS);
            }
            cluster.start(2);
            long target = cluster.nodes[0].status().appliedSlot();
            // About a second here; pushing every chunk at once overflowed the link queue and took 40-50 s of
            // 10-s retries, or never ended.
            ReplicaCluster.await("n2 to catch up past slot " + target + " through a 48 MiB snapshot",
                    Duration.ofSeconds(15), () -> cluster.nodes[2].status().appliedSlot() >= target);
            KvClient local = cluster.client("local", 2);
            List<io.aether.core.kv.KeyValue> copied = new java.util.ArrayList<>();
            String after = "";
            while (true) { // a range result stops at about 8 MiB: page on from the last key
                var page = ((io.aether.core.kv.KvResult.RangeResult) local.execute(
                        new io.aether.core.kv.KvCommand.Range("big/", after, 1000), io.aether.core.client.KvWire.Mode.LOCAL)
                        .get(10, TimeUnit.SECONDS));
                copied.addAll(page.kvs());
                if (!page.more()) {
                    break;
                }
                after = page.kvs().get(page.kvs().size() - 1).key();
            }
            assertEquals(768, copied.size());
            assertArrayEquals(value, copied.get(767).value());
        }
    }

    private static List<String> listing(Path directory) {
        try (var files = java.nio.file.Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    @Test
    void aWatchDeliversEveryChangeInOrderAcrossAFailover() throws Exception {
        try (ReplicaCluster cluster = new ReplicaCluster(dir, 3)) {
            KvClient writer = cluster.client("w", 1);
            KvClient watcher = cluster.client("watcher", 0, 2);
            List<Long> seen = new CopyOnWriteArrayList<>();
            watcher.watch("w/", 1, (revision, events) -> {
                for (WatchEvent e : events) {
                    seen.add(revision);
                }
            });
            for (int i = 0; i < 20; i++) {
                writer.put("w/" + i, bytes("x")).get(10, TimeUnit.SECONDS);
            }
            ReplicaCluster.await("20 watch events", Duration.ofSeconds(10), () -> seen.size() >= 20);
            cluster.stop(0);
            for (int i = 20; i < 40; i++) {
                writer.put("w/" + i, bytes("x")).get(10, TimeUnit.SECONDS);
            }
            ReplicaCluster.await("40 watch events", Duration.ofSeconds(20), () -> seen.size() >= 40);
            assertEquals(40, seen.size(), "no event twice");
            for (int i = 1; i < seen.size(); i++) {
                assertTrue(seen.get(i) > seen.get(i - 1), "revisions in order: " + seen);
            }
        }
    }

    @Test
    void aMinorityCannotAcknowledgeWrites() throws Exception {
        try (ReplicaCluster cluster = new ReplicaCluster(dir, 3)) {
            KvClient client = cluster.client("c", 0);
            client.put("x", bytes("1")).get(10, TimeUnit.SECONDS);
            cluster.stop(1);
            cluster.stop(2);
            CompletableFuture<Long> stuck = client.put("y", bytes("2"));
            ReplicaCluster.await("n0 to see it lost its quorum", Duration.ofSeconds(10),
                    () -> !cluster.nodes[0].status().quorumReachable());
            assertFalse(stuck.isDone(), "a write was acknowledged without a majority");
            cluster.start(1);
            assertTrue(stuck.get(20, TimeUnit.SECONDS) > 0, "the write completes once a majority is back");
        }
    }
}

package io.aether.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.kv.KeyValue;
import io.aether.core.kv.KvLimits;
import io.aether.core.net.HostAndPort;
import io.aether.core.replica.ReplicaConfig;
import io.aether.core.replica.ReplicaNode;
import io.aether.core.testing.Await;
import io.aether.core.testing.PausableProxy;
import io.aether.core.testing.RealKv;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mirror on a real single-node KV over TCP. */
class KvMirrorTest {

    @TempDir
    Path dir;

    private static String value(Map<String, KeyValue> snapshot, String key) {
        return new String(snapshot.get(key).value(), StandardCharsets.UTF_8);
    }

    @Test
    void readsAPrefixLargerThanOnePageThenFollowsPutsAndDeletes() throws Exception {
        try (RealKv kv = new RealKv(dir)) {
            for (int i = 0; i < 7; i++) {
                kv.put("m/k" + i, "v" + i);
            }
            kv.put("other/k", "not mirrored");
            List<List<KvMirror.Change>> batches = new CopyOnWriteArrayList<>();
            try (KvMirror mirror = KvMirror.start(kv.client, "m/", 3, batches::add)) {
                mirror.ready().get(10, TimeUnit.SECONDS);
                assertEquals(7, mirror.snapshot().size());
                assertEquals(7, batches.get(0).size(), "the first load arrives as one batch of every key");
                long loaded = mirror.revision();
                assertTrue(loaded > 0);

                kv.put("m/k1", "changed");
                kv.delete("m/k2");
                kv.put("m/k9", "new");
                Await.until("the mirror to follow three writes", () -> mirror.get("m/k9").isPresent());
                Map<String, KeyValue> now = mirror.snapshot();
                assertEquals(List.of("m/k0", "m/k1", "m/k3", "m/k4", "m/k5", "m/k6", "m/k9"),
                        new ArrayList<>(now.keySet()));
                assertEquals("changed", value(now, "m/k1"));
                assertEquals(4, batches.size(), "one batch per revision after the load");
                KvMirror.Change delete = batches.get(2).get(0);
                assertEquals("m/k2", delete.key());
                assertTrue(delete.before().isPresent() && delete.after().isEmpty());
                assertTrue(mirror.revision() >= loaded + 3);
            }
        }
    }

    @Test
    void aWatchThatFellBehindCompactionIsReplacedByAFreshReadThatReportsTheDifference() throws Exception {
        KvLimits d = KvLimits.DEFAULTS;
        KvLimits twoRevisions = new KvLimits(d.maxKeyBytes(), d.maxValueBytes(), d.maxTxnOps(), d.maxRangeLimit(),
                2, d.maxHistoryBytes(), d.maxWatches(), d.maxTrackedClients(), d.dedupeWindow(), d.maxDedupeBytes(),
                d.maxDataBytes());
        try (RealKv kv = new RealKv(dir, twoRevisions); PausableProxy proxy = new PausableProxy(kv.address())) {
            kv.put("m/keep", "1");
            kv.put("m/gone", "1");
            KvClient behind = KvClient.connect(kv.vertx, KvClientConfig.defaults(List.of(proxy.address()), 1,
                    "behind").withRequestTimeout(Duration.ofSeconds(10)));
            List<List<KvMirror.Change>> batches = new CopyOnWriteArrayList<>();
            try (KvMirror mirror = KvMirror.start(behind, "m/", batches::add)) {
                mirror.ready().get(10, TimeUnit.SECONDS);
                proxy.pause();
                // Four revisions while the mirror's client is cut off: its next revision leaves the history.
                kv.delete("m/gone");
                kv.put("m/new", "1");
                kv.put("m/keep", "2");
                kv.put("other/x", "1");
                proxy.resume();
                Await.until("the mirror to read the prefix afresh", () -> mirror.get("m/new").isPresent());

                assertEquals(List.of("m/keep", "m/new"), new ArrayList<>(mirror.snapshot().keySet()));
                assertEquals("2", value(mirror.snapshot(), "m/keep"));
                List<KvMirror.Change> reload = batches.get(batches.size() - 1);
                assertEquals(2, batches.size(), "the load, then one batch with the difference: " + batches);
                assertEquals(List.of("m/gone", "m/keep", "m/new"), reload.stream().map(KvMirror.Change::key)
                        .sorted().toList());
                assertTrue(reload.stream().anyMatch(c -> c.key().equals("m/gone") && c.after().isEmpty()));
            } finally {
                behind.close();
            }
        }
    }

    @Test
    void aMirrorStartedBeforeTheKvAnswersRetriesUntilItDoes() throws Exception {
        HostAndPort address = new HostAndPort("127.0.0.1", RealKv.freePort());
        Vertx vertx = Vertx.vertx();
        KvClient client = KvClient.connect(vertx, KvClientConfig.defaults(List.of(address), 1, "early")
                .withRequestTimeout(Duration.ofMillis(300)));
        ReplicaNode replica = null;
        try (KvMirror mirror = KvMirror.start(client, "m/", batch -> { })) {
            // A request sent with the mirror's first range times out the same way: the range has failed.
            assertThrows(ExecutionException.class, () -> client.get("m/x").get(10, TimeUnit.SECONDS));
            assertTrue(!mirror.ready().isDone());
            replica = ReplicaNode.start(vertx, ReplicaConfig.of("kv0", Map.of("kv0", address), address.host(),
                    address.port(), dir.resolve("kv0")));
            mirror.ready().get(20, TimeUnit.SECONDS);
            client.put("m/a", "1".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
            Await.until("the retried mirror to follow a put", () -> mirror.get("m/a").isPresent());
        } finally {
            client.close();
            if (replica != null) {
                replica.close();
            }
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Test
    void aClosedMirrorDeliversNothingMore() throws Exception {
        try (RealKv kv = new RealKv(dir)) {
            List<List<KvMirror.Change>> batches = new CopyOnWriteArrayList<>();
            KvMirror closed = KvMirror.start(kv.client, "m/", batches::add);
            closed.ready().get(10, TimeUnit.SECONDS);
            closed.close();
            kv.put("m/after-close", "x");
            try (KvMirror open = KvMirror.start(kv.client, "m/", batch -> { })) {
                kv.put("m/marker", "x");
                Await.until("a live mirror to see the marker", () -> open.get("m/marker").isPresent());
            }
            assertEquals(List.of(), batches);
            assertTrue(closed.get("m/after-close").isEmpty());
        }
    }
}

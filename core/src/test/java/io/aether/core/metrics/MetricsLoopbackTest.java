package io.aether.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.endpoint.EndpointCodec;
import io.aether.core.endpoint.EndpointKeys;
import io.aether.core.endpoint.EndpointRecord;
import io.aether.core.endpoint.EndpointRegistry;
import io.aether.core.endpoint.SingleNodeKv;
import io.aether.core.invoke.CallConfig;
import io.aether.core.invoke.CallServer;
import io.aether.core.invoke.Invoker;
import io.aether.core.invoke.LocalInstances;
import io.aether.core.net.HostAndPort;
import io.aether.core.slice.Artifact;
import io.aether.core.slice.SliceInstance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes "a" (leader) and "b" over real call servers on loopback, with a real single-node KV for the endpoints:
 * calls that run on b's instance (from b's own invoker and from a's, over TCP) reach a's snapshot, and the snapshot
 * reaches b.
 */
class MetricsLoopbackTest {

    private static final String SHOP = "org.acme:shop:1.0";
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private SingleNodeKv kv;
    private EndpointRegistry registry;
    private final Map<String, HostAndPort> addresses = new ConcurrentHashMap<>();
    private Node a;
    private Node b;

    private final class Node implements AutoCloseable {
        final MetricsCollector collector;
        final LocalInstances local;
        final CallServer server;
        final Invoker invoker;
        final MetricsAggregator aggregator;

        Node(String id) throws Exception {
            MetricsConfig config = MetricsConfig.defaults();
            collector = new MetricsCollector(id, Clock.systemUTC(), config);
            local = new LocalInstances(collector);
            CallConfig call = CallConfig.defaults(id, 1, "127.0.0.1", 0).withSecret("s3cret");
            server = CallServer.start(kv.vertx, call, local).get(10, TimeUnit.SECONDS);
            addresses.put(id, new HostAndPort("127.0.0.1", server.localPort()));
            invoker = new Invoker(kv.vertx, call, local, registry, n -> Optional.ofNullable(addresses.get(n)));
            aggregator = new MetricsAggregator(id, kv.vertx, () -> Optional.of("a"), () -> Set.of("a", "b"), server,
                    invoker::send, Clock.systemUTC(), config);
        }

        void startMetrics() {
            collector.start(kv.vertx, local, () -> Optional.of("a"), invoker::send, aggregator);
        }

        @Override
        public void close() {
            collector.stop();
            aggregator.stop();
            invoker.close();
            server.close();
        }
    }

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (registry != null) {
            registry.close();
        }
        kv.close();
    }

    @Test
    void callsOnNodeBShowUpInTheLeadersSnapshotWithinThreeSecondsAndTheSnapshotReachesB() throws Exception {
        kv = new SingleNodeKv(dir);
        registry = EndpointRegistry.start(kv.client, Set.of("a", "b")::contains).get(10, TimeUnit.SECONDS);
        a = new Node("a");
        b = new Node("b");
        b.local.add(new Shop("b.s0"));
        Artifact shop = Artifact.parse(SHOP);
        kv.put(EndpointKeys.key(shop, "buy", "b.s0"), new String(EndpointCodec.encode(
                new EndpointRecord(shop, "buy", "b", "b.s0", "ACTIVE")), StandardCharsets.UTF_8));
        SingleNodeKv.eventually("endpoint indexed", () -> !registry.endpoints(SHOP, "buy").isEmpty());
        a.aggregator.start();
        a.startMetrics();
        b.startMetrics();

        long started = System.nanoTime();
        pollWithCalls("a's snapshot shows b's calls", 3_000, () -> a.aggregator.latest()
                .map(s -> s.slices().get(SHOP))
                .filter(m -> m.callsPerSecond() > 0 && m.instances() == 1 && m.p99Ms() > 0)
                .isPresent());
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        ClusterMetricsSnapshot onA = a.aggregator.latest().orElseThrow();
        assertEquals(Set.of("a", "b"), onA.nodes().keySet());
        assertTrue(onA.staleNodes().isEmpty(), "stale: " + onA.staleNodes());
        assertTrue(tookMs <= 3_000, "took " + tookMs + " ms");

        pollWithCalls("the snapshot reaches b", 5_000, () -> b.aggregator.latest()
                .map(s -> s.slices().get(SHOP))
                .filter(m -> m.instances() == 1)
                .isPresent());
        assertTrue(a.aggregator.history().sizeSeconds() >= 1);
        assertEquals(0, a.aggregator.malformedFrames());
    }

    /** Keeps calling b's instance from both nodes until {@code condition} holds or the deadline passes. */
    private void pollWithCalls(String what, long deadlineMs, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + deadlineMs + " ms waiting for " + what);
            }
            b.invoker.call(SHOP, "buy", "{}", DEADLINE).get(5, TimeUnit.SECONDS);
            a.invoker.call(SHOP, "buy", "{}", DEADLINE).get(5, TimeUnit.SECONDS);
        }
    }

    /** Answers after a short pause so the latency is visible. */
    private final class Shop implements SliceInstance {
        private final String id;

        Shop(String id) {
            this.id = id;
        }

        @Override
        public Artifact artifact() {
            return Artifact.parse(SHOP);
        }

        @Override
        public String instanceId() {
            return id;
        }

        @Override
        public Set<String> entryPoints() {
            return Set.of("buy");
        }

        @Override
        public CompletableFuture<String> call(String entryPoint, String requestJson) {
            CompletableFuture<String> answer = new CompletableFuture<>();
            kv.vertx.setTimer(2, t -> answer.complete("{\"ok\":true}"));
            return answer;
        }
    }
}

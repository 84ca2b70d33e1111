package io.aether.core.invoke;

import static io.aether.core.endpoint.SingleNodeKv.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.aether.core.endpoint.EndpointCodec;
import io.aether.core.endpoint.EndpointKeys;
import io.aether.core.endpoint.EndpointRecord;
import io.aether.core.endpoint.EndpointRegistry;
import io.aether.core.endpoint.SingleNodeKv;
import io.aether.core.net.HostAndPort;
import io.aether.core.slice.Artifact;
import io.aether.slice.api.SliceException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node "a" calls through its Invoker; node "b" (and, per test, more nodes) serve over real TCP call servers. One
 * real single-node KV holds the endpoints. Each test uses its own artifact.
 */
class InvokerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    private static SingleNodeKv kv;
    private static EndpointRegistry registry;
    private static final Set<String> live = ConcurrentHashMap.newKeySet();
    private static final Map<String, HostAndPort> addresses = new ConcurrentHashMap<>();
    private static final LocalInstances localA = new LocalInstances();
    private static final LocalInstances localB = new LocalInstances();
    private static CallServer serverB;
    private static Invoker invoker;

    @BeforeAll
    static void start() throws Exception {
        kv = new SingleNodeKv(dir);
        live.addAll(Set.of("a", "b"));
        registry = EndpointRegistry.start(kv.client, live::contains).get(10, TimeUnit.SECONDS);
        serverB = startServer("b", localB);
        invoker = new Invoker(kv.vertx, config("a"), localA, registry, id -> Optional.ofNullable(addresses.get(id)),
                new Random(1));
    }

    @AfterAll
    static void stop() {
        invoker.close();
        serverB.close();
        registry.close();
        kv.close();
    }

    static CallConfig config(String node) {
        return CallConfig.defaults(node, 1, "127.0.0.1", 0).withSecret("s3cret")
                .withConnectWait(Duration.ofMillis(300));
    }

    private static CallServer startServer(String node, LocalInstances local) throws Exception {
        CallServer server = CallServer.start(kv.vertx, config(node), local).get(10, TimeUnit.SECONDS);
        addresses.put(node, new HostAndPort("127.0.0.1", server.localPort()));
        return server;
    }

    private static void publish(String artifact, String entry, String node, String instance) {
        Artifact a = Artifact.parse(artifact);
        kv.put(EndpointKeys.key(a, entry, instance), new String(EndpointCodec.encode(
                new EndpointRecord(a, entry, node, instance, "ACTIVE")), StandardCharsets.UTF_8));
        eventually("endpoint " + instance + " indexed", () -> registry.endpoints(artifact, entry).stream()
                .anyMatch(r -> r.instanceId().equals(instance)));
    }

    private static String answer(CompletableFuture<String> call) throws Exception {
        return call.get(10, TimeUnit.SECONDS);
    }

    private static SliceException failure(CompletableFuture<String> call) throws Exception {
        try {
            String value = call.get(10, TimeUnit.SECONDS);
            return fail("expected a failure, got " + value);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SliceException s) {
                return s;
            }
            throw new AssertionError("expected a SliceException", e.getCause());
        }
    }

    @Test
    void aLocalInstanceIsPreferredAndLocalInstancesTakeTurns() throws Exception {
        FakeInstance a0 = FakeInstance.echo("t:local:1", "a.l0", "go");
        FakeInstance a1 = FakeInstance.echo("t:local:1", "a.l1", "go");
        FakeInstance remote = FakeInstance.echo("t:local:1", "b.l0", "go");
        localA.add(a0);
        localA.add(a1);
        localB.add(remote);
        publish("t:local:1", "go", "b", "b.l0");
        for (int i = 0; i < 10; i++) {
            assertTrue(answer(invoker.call("t:local", "go", "{}", DEADLINE, "")).contains("\"from\":\"a.l"));
        }
        assertEquals(5, a0.calls.get());
        assertEquals(5, a1.calls.get());
        assertEquals(0, remote.calls.get());
    }

    @Test
    void aRemoteInstanceAnswersOverTcpForVersionedAndVersionlessNames() throws Exception {
        localB.add(FakeInstance.echo("t:remote:2.0", "b.r0", "greet"));
        publish("t:remote:2.0", "greet", "b", "b.r0");
        assertEquals("{\"from\":\"b.r0\",\"echo\":{\"name\":\"Ada\"}}",
                answer(invoker.call("t:remote", "greet", "{\"name\":\"Ada\"}", DEADLINE, "00-abc-def-01")));
        assertEquals("{\"from\":\"b.r0\",\"echo\":[]}", answer(invoker.call("t:remote:2.0", "greet", "[]",
                DEADLINE)));
        assertTrue(invoker.calls() >= 2);
        eventually("no call in flight to b.r0", () -> invoker.inFlight("b.r0") == 0);
    }

    @Test
    void aSliceErrorReachesTheCallerWithItsStatus() throws Exception {
        localB.add(new FakeInstance("t:error:1", "b.e0", Set.of("order", "crash"), (entry, json) -> {
            if (entry.equals("order")) {
                return CompletableFuture.failedFuture(new SliceException(422, "quantity must be positive"));
            }
            throw new IllegalStateException("database gone");
        }));
        publish("t:error:1", "order", "b", "b.e0");
        publish("t:error:1", "crash", "b", "b.e0");
        long errorsBefore = invoker.errors();
        SliceException refused = failure(invoker.call("t:error", "order", "{}", DEADLINE));
        assertEquals(422, refused.status());
        assertEquals("quantity must be positive", refused.getMessage());
        SliceException crashed = failure(invoker.call("t:error", "crash", "{}", DEADLINE));
        assertEquals(500, crashed.status());
        assertTrue(crashed.getMessage().contains("database gone"), crashed.getMessage());
        assertEquals(errorsBefore + 2, invoker.errors());
    }

    @Test
    void aCallPastItsDeadlineFailsWith504AndTheLateAnswerIsIgnored() throws Exception {
        List<CompletableFuture<String>> held = new CopyOnWriteArrayList<>();
        localB.add(new FakeInstance("t:slow:1", "b.s0", Set.of("wait"), (entry, json) -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            held.add(f);
            return f;
        }));
        publish("t:slow:1", "wait", "b", "b.s0");
        long lateBefore = invoker.lateAnswers();
        long started = System.nanoTime();
        CompletableFuture<String> call = invoker.call("t:slow", "wait", "{}", Duration.ofMillis(200));
        SliceException timedOut = failure(call);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(504, timedOut.status());
        assertTrue(tookMs >= 190 && tookMs < 2_000, "504 after " + tookMs + " ms");
        held.get(0).complete("{\"too\":\"late\"}");
        eventually("the late answer arrived and was dropped", () -> invoker.lateAnswers() == lateBefore + 1);
        assertEquals(504, failure(call).status());
    }

    @Test
    void noInstanceIsA503NamingTheArtifactAndEntry() throws Exception {
        SliceException none = failure(invoker.call("t:absent", "go", "{}", DEADLINE));
        assertEquals(503, none.status());
        assertEquals("no ACTIVE instance of t:absent entry 'go'", none.getMessage());
    }

    @Test
    void anUnreachableNodeIsSkippedForAnotherInstanceBeforeAnythingIsSent() throws Exception {
        live.add("c");
        addresses.put("c", new HostAndPort("127.0.0.1", SingleNodeKv.freePort()));
        FakeInstance onB = FakeInstance.echo("t:failover:1", "b.f0", "go");
        localB.add(onB);
        publish("t:failover:1", "go", "c", "c.f0");
        publish("t:failover:1", "go", "b", "b.f0");
        long retriesBefore = invoker.retries();
        for (int i = 0; i < 20; i++) {
            assertTrue(answer(invoker.call("t:failover", "go", "{}", DEADLINE)).contains("b.f0"));
        }
        assertEquals(20, onB.calls.get());
        assertTrue(invoker.retries() > retriesBefore, "no call went to the unreachable node first");
    }

    @Test
    void anInstanceTheCalleeNoLongerHasIsRetriedOnAnother() throws Exception {
        FakeInstance real = FakeInstance.echo("t:ghost:1", "b.g1", "go");
        localB.add(real);
        publish("t:ghost:1", "go", "b", "b.g0");
        publish("t:ghost:1", "go", "b", "b.g1");
        for (int i = 0; i < 20; i++) {
            assertTrue(answer(invoker.call("t:ghost", "go", "{}", DEADLINE)).contains("b.g1"));
        }
        assertEquals(20, real.calls.get());
    }

    @Test
    void aCallThatMayHaveReachedTheCalleeIsNeverResent() throws Exception {
        LocalInstances localD = new LocalInstances();
        List<CompletableFuture<String>> held = new CopyOnWriteArrayList<>();
        localD.add(new FakeInstance("t:once:1", "d.o0", Set.of("pay"), (entry, json) -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            held.add(f);
            return f;
        }));
        live.add("d");
        CallServer serverD = startServer("d", localD);
        FakeInstance onB = FakeInstance.echo("t:once:1", "b.o0", "pay");
        localB.add(onB);
        publish("t:once:1", "pay", "d", "d.o0");
        CompletableFuture<String> call = invoker.call("t:once", "pay", "{}", DEADLINE);
        eventually("node d received the call", () -> held.size() == 1);
        publish("t:once:1", "pay", "b", "b.o0");
        serverD.close();
        SliceException lost = failure(call);
        assertEquals(502, lost.status());
        assertTrue(lost.getMessage().contains("may have run"), lost.getMessage());
        assertEquals(0, onB.calls.get());
        assertTrue(answer(invoker.call("t:once", "pay", "{}", DEADLINE)).contains("b.o0"));
    }

    @Test
    void callsBeyondThePerNodeBoundAreRefusedWith503() throws Exception {
        List<CompletableFuture<String>> held = new CopyOnWriteArrayList<>();
        localB.add(new FakeInstance("t:bound:1", "b.b0", Set.of("go"), (entry, json) -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            held.add(f);
            return f;
        }));
        publish("t:bound:1", "go", "b", "b.b0");
        try (Invoker bounded = new Invoker(kv.vertx, config("a2").withBounds(2, 100, 100), new LocalInstances(),
                registry, id -> Optional.ofNullable(addresses.get(id)))) {
            List<CompletableFuture<String>> calls = new ArrayList<>();
            calls.add(bounded.call("t:bound", "go", "{}", DEADLINE));
            calls.add(bounded.call("t:bound", "go", "{}", DEADLINE));
            eventually("both calls running on b", () -> held.size() == 2);
            SliceException refused = failure(bounded.call("t:bound", "go", "{}", DEADLINE));
            assertEquals(503, refused.status());
            assertTrue(refused.getMessage().contains("maxInFlightPerNode"), refused.getMessage());
            assertEquals(2, bounded.inFlight());
            held.forEach(f -> f.complete("1"));
            for (CompletableFuture<String> c : calls) {
                assertEquals("1", answer(c));
            }
            assertEquals(0, bounded.inFlight());
            assertFalse(bounded.inFlight("b.b0") > 0);
        }
    }
}

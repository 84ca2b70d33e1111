package io.aether.core.invoke;

import static io.aether.core.endpoint.SingleNodeKv.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.net.ConnectionState;
import io.aether.core.net.HostAndPort;
import io.aether.core.net.TransportClient;
import io.aether.core.net.TransportClientConfig;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The call server against raw transport clients that speak the protocol, or fail to. */
class CallServerTest {

    private final Vertx vertx = Vertx.vertx();
    private final LocalInstances local = new LocalInstances();
    private CallServer server;
    private FakeInstance echo;

    /** A raw client recording answers and connection states. */
    private final class Raw implements TransportClient.Listener, AutoCloseable {
        final List<CallFrames.Response> answers = new CopyOnWriteArrayList<>();
        final List<ConnectionState> states = new CopyOnWriteArrayList<>();
        final TransportClient client;

        Raw(String name) throws Exception {
            client = TransportClient.start(vertx, TransportClientConfig.defaults(name, 1,
                    List.of(new HostAndPort("127.0.0.1", server.localPort()))).withSecret("s3cret"), this)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            eventually(name + " connected", client::isConnected);
        }

        @Override
        public void onFrame(byte type, byte[] payload) {
            answers.add(CallFrames.decodeResponse(payload));
        }

        @Override
        public void onStateChange(ConnectionState state) {
            states.add(state);
        }

        CallFrames.Response call(CallFrames.Request request) {
            int before = answers.size();
            assertTrue(client.send(CallFrames.REQUEST, CallFrames.encode(request)));
            eventually("an answer to call " + request.callId(), () -> answers.size() > before);
            return answers.get(before);
        }

        @Override
        public void close() {
            client.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        echo = FakeInstance.echo("t:echo:1", "s.0", "go");
        local.add(echo);
        server = CallServer.start(vertx, InvokerTest.config("s"), local).get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aMalformedCallFrameClosesOnlyTheConnectionThatSentIt() throws Exception {
        try (Raw good = new Raw("good"); Raw bad = new Raw("bad")) {
            assertTrue(bad.client.send(CallFrames.REQUEST, new byte[] {1, 2, 3}));
            eventually("the bad connection closed", () -> bad.states.stream()
                    .anyMatch(s -> s instanceof ConnectionState.Disconnected));
            assertEquals(1, server.malformed());
            CallFrames.Response answer = good.call(new CallFrames.Request(1, 5_000, "", "s.0", "go", "7"));
            assertEquals(200, answer.status());
            assertEquals("{\"from\":\"s.0\",\"echo\":7}", answer.body());
            assertTrue(good.states.stream().noneMatch(s -> s instanceof ConnectionState.Disconnected));
        }
    }

    @Test
    void aCallWhoseDeadlinePassedBeforeItStartedIsAnswered504WithoutRunning() throws Exception {
        try (Raw raw = new Raw("late")) {
            CallFrames.Response answer = raw.call(new CallFrames.Request(9, 0, "", "s.0", "go", "{}"));
            assertEquals(9, answer.callId());
            assertEquals(504, answer.status());
            assertTrue(answer.notRun());
            assertEquals(0, echo.calls.get());
        }
    }

    @Test
    void unknownInstancesAndEntriesAreAnsweredWithoutRunning() throws Exception {
        try (Raw raw = new Raw("lost")) {
            CallFrames.Response gone = raw.call(new CallFrames.Request(1, 5_000, "", "s.7", "go", "{}"));
            assertEquals(503, gone.status());
            assertTrue(gone.notRun());
            assertEquals("instance s.7 is not ACTIVE on node s", gone.body());
            CallFrames.Response noEntry = raw.call(new CallFrames.Request(2, 5_000, "", "s.0", "stop", "{}"));
            assertEquals(404, noEntry.status());
            assertTrue(noEntry.body().contains("no entry point 'stop'"), noEntry.body());
            assertEquals(0, echo.calls.get());
            assertEquals(2, server.refused());
        }
    }

    @Test
    void callsBeyondMaxServingAreRefusedUntilASlotIsFree() throws Exception {
        server.close();
        java.util.concurrent.CompletableFuture<String> held = new java.util.concurrent.CompletableFuture<>();
        local.add(new FakeInstance("t:hold:1", "s.h", java.util.Set.of("go"), (e, json) -> held));
        server = CallServer.start(vertx, InvokerTest.config("s").withBounds(10, 10, 1), local)
                .get(10, TimeUnit.SECONDS);
        try (Raw raw = new Raw("busy")) {
            assertTrue(raw.client.send(CallFrames.REQUEST, CallFrames.encode(
                    new CallFrames.Request(1, 5_000, "", "s.h", "go", "{}"))));
            eventually("the first call running", () -> server.serving() == 1);
            CallFrames.Response refused = raw.call(new CallFrames.Request(2, 5_000, "", "s.0", "go", "{}"));
            assertEquals(503, refused.status());
            assertTrue(refused.notRun() && refused.body().contains("maxServing"), refused.body());
            held.complete("\"done\"");
            eventually("the first call answered", () -> raw.answers.stream().anyMatch(a -> a.callId() == 1));
            assertEquals(200, raw.call(new CallFrames.Request(3, 5_000, "", "s.0", "go", "{}")).status());
        }
    }
}

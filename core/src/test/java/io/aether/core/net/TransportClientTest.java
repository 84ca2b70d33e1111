package io.aether.core.net;

import static io.aether.core.net.TestSupport.await;
import static io.aether.core.net.TestSupport.eventually;
import static io.aether.core.net.TestSupport.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TransportClientTest {
    private static final int CLUSTER = 11;
    private static final byte REQUEST = 2;
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        await(vertx.close());
    }

    /** Records frames and state changes seen by a client. */
    static final class Events implements TransportClient.Listener {
        final ConcurrentLinkedQueue<Integer> replies = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<ConnectionState> states = new ConcurrentLinkedQueue<>();

        @Override
        public void onFrame(byte type, byte[] payload) {
            replies.add(ByteBuffer.wrap(payload).getInt());
        }

        @Override
        public void onStateChange(ConnectionState state) {
            states.add(state);
        }

        long count(Class<? extends ConnectionState> kind) {
            return states.stream().filter(kind::isInstance).count();
        }
    }

    private static Transport startNode(String id, int port, Recorder recorder) {
        TransportConfig config = TransportConfig.defaults(id, CLUSTER, "127.0.0.1", port, Map.of());
        return await(Transport.start(vertx, config, recorder));
    }

    @Test
    void clientSkipsADeadAddressAndFailsOverWhenItsServerGoesAway() {
        HostAndPort dead = new HostAndPort("127.0.0.1", freePort());
        HostAndPort first = new HostAndPort("127.0.0.1", freePort());
        HostAndPort second = new HostAndPort("127.0.0.1", freePort());
        Recorder atFirst = new Recorder(true, (byte) -1);
        Recorder atSecond = new Recorder(true, (byte) -1);
        Transport nodeOne = startNode("n1", first.port(), atFirst);
        Transport nodeTwo = startNode("n2", second.port(), atSecond);
        Events events = new Events();
        try (TransportClient client = await(TransportClient.start(vertx,
                TransportClientConfig.defaults("kv-client-1", CLUSTER, List.of(dead, first, second)), events))) {
            eventually("connected past the dead address",
                    () -> events.count(ConnectionState.Connected.class) == 1);
            assertEquals(new ConnectionState.Connected(first, "n1"), events.states.peek());
            assertTrue(client.send(REQUEST, Recorder.seqPayload(1, 4)));
            eventually("n1 answered", () -> events.replies.contains(1));
            assertEquals(Role.CLIENT, atFirst.frames.peek().role());
            assertEquals("kv-client-1", atFirst.frames.peek().from());

            nodeOne.close();
            eventually("disconnect reported", () -> events.count(ConnectionState.Disconnected.class) == 1);
            eventually("failed over to n2", () -> client.connectedServer().equals(java.util.Optional.of(second)));
            assertTrue(client.send(REQUEST, Recorder.seqPayload(2, 4)));
            eventually("n2 answered", () -> events.replies.contains(2));
            assertEquals(List.of(2), atSecond.seqsFrom("kv-client-1"));
        } finally {
            nodeTwo.close();
        }
    }

    @Test
    void clientWithTheWrongSecretNeverConnectsAndSendsAreRefused() {
        HostAndPort server = new HostAndPort("127.0.0.1", freePort());
        TransportConfig config = TransportConfig.defaults("n1", CLUSTER, "127.0.0.1", server.port(), Map.of())
                .withSecret("right");
        Recorder recorder = new Recorder();
        try (LogCapture log = new LogCapture();
                Transport node = await(Transport.start(vertx, config, recorder));
                TransportClient client = await(TransportClient.start(vertx,
                        TransportClientConfig.defaults("intruder", CLUSTER, List.of(server)).withSecret("wrong"),
                        new Events()))) {
            eventually("refusal logged", () -> !log.warningsContaining("wrong cluster secret").isEmpty());
            assertFalse(client.isConnected());
            assertFalse(client.send(REQUEST, new byte[4]));
            assertEquals(1, client.droppedFrames());
            assertTrue(recorder.frames.isEmpty());
        }
    }
}

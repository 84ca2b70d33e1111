package io.aether.core.net;

import static io.aether.core.net.TestSupport.await;
import static io.aether.core.net.TestSupport.eventually;
import static io.aether.core.net.TestSupport.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TransportTest {
    private static final int CLUSTER = 3;
    private static final byte DATA = 1;
    private static Vertx vertx;
    private final List<Transport> started = new ArrayList<>();

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        await(vertx.close());
    }

    @AfterEach
    void closeTransports() {
        started.forEach(Transport::close);
    }

    private static Map<String, HostAndPort> cluster(String... ids) {
        Map<String, HostAndPort> peers = new TreeMap<>();
        for (String id : ids) {
            peers.put(id, new HostAndPort("127.0.0.1", freePort()));
        }
        return peers;
    }

    private Transport start(String id, Map<String, HostAndPort> peers, FrameHandler handler) {
        TransportConfig config = TransportConfig.defaults(id, CLUSTER, "127.0.0.1", peers.get(id).port(), peers)
                .withSecret("s3cret");
        Transport transport = await(Transport.start(vertx, config, handler));
        started.add(transport);
        return transport;
    }

    private static Set<String> othersThan(String self, Map<String, HostAndPort> peers) {
        return peers.keySet().stream().filter(id -> !id.equals(self)).collect(Collectors.toSet());
    }

    @Test
    void threeNodesExchangeTenThousandFramesPerLinkInFifoOrderBothWays() {
        Map<String, HostAndPort> peers = cluster("a", "b", "c");
        Map<String, Recorder> recorders = new TreeMap<>();
        Map<String, Transport> nodes = new TreeMap<>();
        peers.keySet().forEach(id -> {
            recorders.put(id, new Recorder());
            nodes.put(id, start(id, peers, recorders.get(id)));
        });
        nodes.forEach((id, t) -> eventually(id + " linked to every other peer",
                () -> t.connectedPeers().equals(othersThan(id, peers))));

        int count = 10_000;
        for (int seq = 0; seq < count; seq++) {
            for (String from : peers.keySet()) {
                for (String to : othersThan(from, peers)) {
                    assertTrue(nodes.get(from).sendToPeer(to, DATA, Recorder.seqPayload(seq, 16)),
                            from + "->" + to + " seq " + seq);
                }
            }
        }
        List<Integer> expected = IntStream.range(0, count).boxed().collect(Collectors.toList());
        recorders.forEach((to, recorder) -> {
            eventually(to + " received all frames", () -> recorder.frames.size() == 2 * count);
            for (String from : othersThan(to, peers)) {
                assertEquals(expected, recorder.seqsFrom(from), "FIFO order on link " + from + "->" + to);
            }
            assertTrue(recorder.frames.stream().allMatch(f -> f.role() == Role.PEER && f.type() == DATA));
        });
    }

    @Test
    void restartedAcceptorAndRestartedDialerAreReconnectedOnTheSamePort() {
        Map<String, HostAndPort> peers = cluster("a", "b");
        Recorder atA = new Recorder();
        Recorder atB = new Recorder();
        Transport a = start("a", peers, atA);
        Transport b = start("b", peers, atB);
        eventually("a and b linked", () -> a.connectedPeers().contains("b") && b.connectedPeers().contains("a"));

        // b accepts the link (a has the lower id and dials): kill b, a redials until b is back.
        b.close();
        eventually("a notices b is gone", () -> a.connectedPeers().isEmpty());
        assertFalse(a.sendToPeer("b", DATA, Recorder.seqPayload(0, 4)), "no link: frame refused");
        assertEquals(1, a.droppedFrames());
        Recorder atB2 = new Recorder();
        Transport b2 = start("b", peers, atB2);
        eventually("a redialed restarted b", () -> a.connectedPeers().contains("b"));
        assertTrue(a.sendToPeer("b", DATA, Recorder.seqPayload(1, 4)));
        eventually("frame reached restarted b", () -> atB2.seqsFrom("a").equals(List.of(1)));

        // a dials: kill a, restart it, and b (which never dials a) gets the new link.
        a.close();
        eventually("b notices a is gone", () -> b2.connectedPeers().isEmpty());
        Recorder atA2 = new Recorder();
        Transport a2 = start("a", peers, atA2);
        eventually("restarted a dialed b", () -> b2.connectedPeers().contains("a"));
        assertTrue(b2.sendToPeer("a", DATA, Recorder.seqPayload(2, 4)));
        eventually("frame reached restarted a", () -> atA2.seqsFrom("b").equals(List.of(2)));
        assertTrue(a2.connectedPeers().contains("b"));
    }

    @Test
    void listeningOnABusyPortFailsNamingTheAddress() throws IOException {
        try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            TransportConfig clash = TransportConfig.defaults("z", CLUSTER, "127.0.0.1", holder.getLocalPort(),
                    Map.of());
            Throwable failure = assertThrows(AssertionError.class,
                    () -> await(Transport.start(vertx, clash, new Recorder()))).getCause().getCause();
            assertTrue(failure.getMessage().contains("cannot listen on 127.0.0.1:" + holder.getLocalPort()),
                    failure.getMessage());
        }
    }

    @Test
    void sendingToAnUnknownPeerOrAReservedTypeIsACallerBug() {
        Map<String, HostAndPort> peers = cluster("a", "b");
        Transport a = start("a", peers, new Recorder());
        assertThrows(IllegalArgumentException.class, () -> a.sendToPeer("nobody", DATA, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> a.sendToPeer("b", FrameTypes.PING, new byte[0]));
    }

    @Test
    void throughputOfSmallFramesOverOneLinkIsReported() {
        Map<String, HostAndPort> peers = cluster("a", "b");
        AtomicLong received = new AtomicLong();
        Transport a = start("a", peers, new Recorder());
        Transport b = start("b", peers, (from, type, payload) -> received.incrementAndGet());
        eventually("linked", () -> a.connectedPeers().contains("b") && b.connectedPeers().contains("a"));
        int frames = 300_000;
        byte[] payload = new byte[256];
        long startNanos = System.nanoTime();
        long deadline = startNanos + TestSupport.DEADLINE.toNanos();
        int sent = 0;
        while (sent < frames && System.nanoTime() < deadline) {
            if (a.sendToPeer("b", DATA, payload)) {
                sent++;
            } else {
                Thread.onSpinWait();
            }
        }
        int total = sent;
        eventually("b received every frame a queued", () -> received.get() == total);
        long elapsedNanos = System.nanoTime() - startNanos;
        System.out.printf("transport throughput: %d frames of 256 B over one loopback link in %d ms "
                + "(%.0f frames/s, %.1f MB/s of payload)%n", total, elapsedNanos / 1_000_000,
                total * 1e9 / elapsedNanos, total * 256e3 / elapsedNanos);
    }
}

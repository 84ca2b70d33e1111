package io.aether.core.net;

import static io.aether.core.net.TestSupport.await;
import static io.aether.core.net.TestSupport.eventually;
import static io.aether.core.net.TestSupport.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A node facing a misbehaving connection closes that connection with one WARN line naming the remote address
 * and the problem, and keeps serving its peer link and its well-behaved clients.
 */
class MalformedInputTest {
    private static final int CLUSTER = 5;
    private static final String SECRET = "s3cret";
    private static final byte DATA = 1;
    private static final byte REJECTED_TYPE = 0x7F;
    private static final int MAX_FRAME_BYTES = 1024;
    private static final AtomicInteger SEQ = new AtomicInteger();

    private static Vertx vertx;
    private static Transport a;
    private static Transport b;
    private static Recorder atB;
    private static TransportClient client;
    private static final ConcurrentLinkedQueue<Integer> echoed = new ConcurrentLinkedQueue<>();

    /** One kind of misbehaviour: what the raw socket writes and what the node must say about it. */
    record Case(String name, byte[] bytes, boolean halfCloseAfterWrite, String logFragment, boolean answersError) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void startNodeWithPeerAndClient() {
        vertx = Vertx.vertx();
        Map<String, HostAndPort> peers = Map.of(
                "a", new HostAndPort("127.0.0.1", freePort()),
                "b", new HostAndPort("127.0.0.1", freePort()),
                "c", new HostAndPort("127.0.0.1", freePort()));
        atB = new Recorder(true, REJECTED_TYPE);
        a = await(Transport.start(vertx, config("a", peers), new Recorder()));
        b = await(Transport.start(vertx, config("b", peers), atB));
        TransportClientConfig clientConfig = TransportClientConfig.defaults("good-client", CLUSTER,
                List.of(peers.get("b"))).withSecret(SECRET);
        client = await(TransportClient.start(vertx, clientConfig,
                (type, payload) -> echoed.add(ByteBuffer.wrap(payload).getInt())));
        eventually("a linked to b and client connected", () -> b.connectedPeers().contains("a") && client.isConnected());
    }

    private static TransportConfig config(String id, Map<String, HostAndPort> peers) {
        return TransportConfig.defaults(id, CLUSTER, "127.0.0.1", peers.get(id).port(), peers)
                .withSecret(SECRET)
                .withFrameBounds(MAX_FRAME_BYTES, 64 * 1024);
    }

    @AfterAll
    static void stopAll() {
        client.close();
        a.close();
        b.close();
        await(vertx.close());
    }

    static Stream<Case> misbehaviours() {
        byte[] clientHello = Frames.hello(CLUSTER, Role.CLIENT, "raw", SECRET);
        byte[] data = FrameCodec.encode(DATA, CLUSTER, new byte[100], MAX_FRAME_BYTES);
        byte[] badCrc = clientHello.clone();
        badCrc[badCrc.length - 1] ^= 1;
        return Stream.of(
                new Case("truncated frame at close", concat(clientHello, java.util.Arrays.copyOf(data, 50)), true,
                        "truncated frame", false),
                new Case("bad crc", badCrc, false, "crc mismatch", false),
                new Case("length over maxFrameBytes", concat(ByteBuffer.allocate(4).putInt(1_000_000).array(),
                        new byte[64]), false, "frame length 1000000", false),
                new Case("length under the minimum", new byte[] {0, 0, 0, 3, 1, 2, 3}, false, "outside [10,",
                        false),
                new Case("unknown version", Frames.withVersion(clientHello, (byte) 9), false,
                        "unknown frame version 9", false),
                new Case("wrong cluster id", Frames.hello(CLUSTER + 1, Role.CLIENT, "raw", SECRET), false,
                        "cluster id 6", false),
                new Case("http garbage before HELLO",
                        "GET / HTTP/1.1\r\nHost: b\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false,
                        "frame length", false),
                new Case("data frame before HELLO", data, false, "expected HELLO as the first frame", false),
                new Case("wrong secret", Frames.hello(CLUSTER, Role.CLIENT, "raw", "guess"), false,
                        "wrong cluster secret", true),
                new Case("peer not in the peer set", Frames.hello(CLUSTER, Role.PEER, "mallory", SECRET), false,
                        "not in the peer set", true),
                new Case("peer with the higher id dialing", Frames.hello(CLUSTER, Role.PEER, "c", SECRET), false,
                        "the lower node id dials", true),
                new Case("frame type the handler rejects", concat(clientHello,
                        FrameCodec.encode(REJECTED_TYPE, CLUSTER, new byte[1], MAX_FRAME_BYTES)), false,
                        "unknown frame type 0x7F", false),
                new Case("second HELLO after the handshake", concat(clientHello, clientHello), false,
                        "unexpected control frame 0xF1", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misbehaviours")
    void misbehavingConnectionIsClosedAndTheNodeKeepsServing(Case misbehaviour) throws Exception {
        try (LogCapture log = new LogCapture(); RawSocket raw = new RawSocket(b.localPort())) {
            raw.write(misbehaviour.bytes());
            if (misbehaviour.halfCloseAfterWrite()) {
                raw.shutdownOutput();
            }
            byte[] answer = raw.readUntilClosed();

            if (misbehaviour.answersError()) {
                Frame error = RawSocket.frames(answer, CLUSTER).get(0);
                assertEquals(FrameTypes.ERROR, error.type());
                String reason = new String(error.payload(), StandardCharsets.UTF_8);
                assertTrue(reason.contains(misbehaviour.logFragment()), reason);
            }
            String remote = ":" + raw.localPort();
            eventually("one WARN naming " + remote + " and '" + misbehaviour.logFragment() + "'",
                    () -> log.warningsContaining(remote).size() == 1
                            && log.warningsContaining(remote).get(0).contains(misbehaviour.logFragment()));
        }
        assertNodeStillServes();
    }

    private static void assertNodeStillServes() {
        int seq = SEQ.incrementAndGet();
        assertTrue(client.send(DATA, Recorder.seqPayload(seq, 8)), "client still connected");
        eventually("client's frame " + seq + " echoed", () -> echoed.contains(seq));
        assertTrue(a.sendToPeer("b", DATA, Recorder.seqPayload(seq, 8)), "peer link still up");
        eventually("peer frame " + seq + " delivered", () -> atB.seqsFrom("a").contains(seq));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}

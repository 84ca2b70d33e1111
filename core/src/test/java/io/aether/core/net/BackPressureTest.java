package io.aether.core.net;

import static io.aether.core.net.TestSupport.await;
import static io.aether.core.net.TestSupport.eventually;
import static io.aether.core.net.TestSupport.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A peer that stops reading costs bounded memory: sends are refused, then the dead link is dropped. */
class BackPressureTest {
    private static final int CLUSTER = 8;
    private static final byte DATA = 1;
    private static final int MAX_FRAME_BYTES = 64 * 1024;
    private static final int MAX_QUEUED_BYTES = 256 * 1024;
    /** Our queue + Netty's high-water mark + one batch + generous room for both kernels' socket buffers. */
    private static final long ACCEPTED_BYTES_BOUND = MAX_QUEUED_BYTES + Wire.SOCKET_WRITE_QUEUE_BYTES
            + Wire.MAX_BATCH_BYTES + 32L * 1024 * 1024;
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        await(vertx.close());
    }

    private static Transport startWithStalledPeer(StalledPeer stalled, Duration heartbeat) {
        Map<String, HostAndPort> peers = Map.of(
                "a", new HostAndPort("127.0.0.1", freePort()),
                "z", new HostAndPort("127.0.0.1", stalled.port()));
        TransportConfig config = TransportConfig.defaults("a", CLUSTER, "127.0.0.1", peers.get("a").port(), peers)
                .withFrameBounds(MAX_FRAME_BYTES, MAX_QUEUED_BYTES)
                .withHeartbeatInterval(heartbeat);
        Transport a = await(Transport.start(vertx, config, new Recorder()));
        eventually("a linked to the stalled peer", () -> a.connectedPeers().contains("z"));
        return a;
    }

    @Test
    void sendsToAPeerThatNeverReadsAreRefusedOnceTheBoundedQueueIsFull() throws Exception {
        try (StalledPeer stalled = new StalledPeer("z", CLUSTER);
                Transport a = startWithStalledPeer(stalled, Duration.ofMinutes(1))) {
            byte[] payload = new byte[16 * 1024];
            long acceptedBytes = 0;
            int consecutiveRefusals = 0;
            long deadline = System.nanoTime() + TestSupport.DEADLINE.toNanos();
            // Saturated = 100 refusals in a row spread over at least 100 ms, so a slow drain cannot fake it.
            while (consecutiveRefusals < 100) {
                assertTrue(System.nanoTime() < deadline, "still accepting after " + acceptedBytes + " bytes");
                if (a.sendToPeer("z", DATA, payload)) {
                    acceptedBytes += payload.length;
                    consecutiveRefusals = 0;
                } else {
                    consecutiveRefusals++;
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }
            System.out.printf("back-pressure: stalled peer absorbed %d KiB before sends were refused%n",
                    acceptedBytes / 1024);
            assertTrue(acceptedBytes <= ACCEPTED_BYTES_BOUND, "accepted " + acceptedBytes + " bytes");
            assertTrue(a.droppedFrames() >= 100, "each refusal counts as a drop: " + a.droppedFrames());
            assertEquals(java.util.Set.of("z"), a.connectedPeers(), "a full queue alone does not drop the link");
        }
    }

    @Test
    void aPeerSilentForThreeHeartbeatsIsDisconnected() throws Exception {
        try (LogCapture log = new LogCapture();
                StalledPeer stalled = new StalledPeer("z", CLUSTER);
                Transport a = startWithStalledPeer(stalled, Duration.ofMillis(100))) {
            eventually("silent link dropped", () -> !a.connectedPeers().contains("z"));
            eventually("WARN says why", () -> !log.warningsContaining("3 heartbeat intervals").isEmpty());
            assertTrue(log.warningsContaining("3 heartbeat intervals").get(0).contains("(node z)"));
        }
    }
}

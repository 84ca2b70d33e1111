package io.aether.core.net;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The dialing side of HELLO: sends HELLO, then expects HELLO_OK (carrying the acceptor's node id) or ERROR.
 * Every failure closes the wire, and the outcome is reported once, from the close, so callers have a single
 * place to schedule their retry.
 */
final class OutboundHandshake implements Wire.Events {
    /** Told exactly once per handshake, on the wire's event loop. */
    interface Outcome {
        /** The wire now belongs to the caller, who must install its own {@link Wire.Events} synchronously. */
        void established(Wire wire, String remoteNodeId);

        void failed(String reason);
    }

    private final Vertx vertx;
    private final String expectedNodeId;
    private final Outcome outcome;
    private long timerId = -1;
    private boolean done;
    private String failure = "connection closed by the remote end during the handshake";

    /**
     * @param expectedNodeId the node the dialed address must belong to, or null to accept any (clients)
     */
    OutboundHandshake(Vertx vertx, String expectedNodeId, Outcome outcome) {
        this.vertx = vertx;
        this.expectedNodeId = expectedNodeId;
        this.outcome = outcome;
    }

    /** Sends HELLO on a wire built with this handshake as its events, and arms the timeout. */
    void begin(Wire wire, Hello hello, Duration timeout) {
        timerId = vertx.setTimer(timeout.toMillis(),
                id -> failWith(wire, "no HELLO_OK within " + timeout.toMillis() + " ms (handshakeTimeout)"));
        wire.send(FrameTypes.HELLO, hello.encode());
    }

    @Override
    public void onFrame(Wire wire, Frame frame) {
        if (done) {
            return;
        }
        if (frame.type() == FrameTypes.HELLO_OK) {
            String remote = new String(frame.payload(), StandardCharsets.UTF_8);
            if (expectedNodeId != null && !expectedNodeId.equals(remote)) {
                failWith(wire, "expected node " + expectedNodeId + " at this address but node " + remote
                        + " answered; check the peers configuration");
                return;
            }
            done = true;
            vertx.cancelTimer(timerId);
            outcome.established(wire, remote);
        } else if (frame.type() == FrameTypes.ERROR) {
            failWith(wire, "handshake refused: " + new String(frame.payload(), StandardCharsets.UTF_8));
        } else {
            failWith(wire, "expected HELLO_OK or ERROR, got frame type " + FrameTypes.hex(frame.type()));
        }
    }

    @Override
    public void onClosed(Wire wire) {
        if (!done) {
            done = true;
            vertx.cancelTimer(timerId);
            outcome.failed(failure);
        }
    }

    private void failWith(Wire wire, String reason) {
        if (!done) {
            failure = reason;
            wire.fail(reason);
        }
    }
}

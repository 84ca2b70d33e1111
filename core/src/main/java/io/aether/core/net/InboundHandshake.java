package io.aether.core.net;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * The accepting side of HELLO. The first frame must be a valid HELLO of this cluster with the right secret;
 * a PEER must be a configured replica with a lower id than this node (the lower id dials); a CLIENT needs a free
 * slot. Anything else gets an ERROR frame (or, for garbage, just a close) and one WARN line.
 */
final class InboundHandshake implements Wire.Events {
    /** The transport's side of admission, on its event loop. */
    interface Admission {
        /** Null to admit, else why the HELLO is refused. */
        String refusal(Hello hello);

        /** The wire passed the handshake; the callee installs its own events synchronously. */
        void admitted(Wire wire, Hello hello);

        /** The connection closed before completing the handshake. */
        void abandoned(Wire wire);
    }

    private final Vertx vertx;
    private final byte[] secret;
    private final String localNodeId;
    private final Admission admission;
    private long timerId = -1;
    private boolean done;

    InboundHandshake(Vertx vertx, String secret, String localNodeId, Admission admission) {
        this.vertx = vertx;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.localNodeId = localNodeId;
        this.admission = admission;
    }

    void arm(Wire wire, Duration timeout) {
        timerId = vertx.setTimer(timeout.toMillis(),
                id -> wire.fail("no HELLO within " + timeout.toMillis() + " ms (handshakeTimeout)"));
    }

    @Override
    public void onFrame(Wire wire, Frame frame) {
        if (done) {
            return;
        }
        if (frame.type() != FrameTypes.HELLO) {
            wire.fail("expected HELLO as the first frame, got frame type " + FrameTypes.hex(frame.type()));
            return;
        }
        Hello hello;
        try {
            hello = Hello.decode(frame.payload());
        } catch (FrameException e) {
            wire.fail(e.getMessage());
            return;
        }
        if (!MessageDigest.isEqual(secret, hello.secret().getBytes(StandardCharsets.UTF_8))) {
            wire.refuse("wrong cluster secret in HELLO from " + hello.role() + " " + hello.nodeId());
            return;
        }
        String refusal = admission.refusal(hello);
        if (refusal != null) {
            wire.refuse(refusal);
            return;
        }
        done = true;
        vertx.cancelTimer(timerId);
        wire.send(FrameTypes.HELLO_OK, localNodeId.getBytes(StandardCharsets.UTF_8));
        admission.admitted(wire, hello);
    }

    @Override
    public void onClosed(Wire wire) {
        if (!done) {
            done = true;
            vertx.cancelTimer(timerId);
            admission.abandoned(wire);
        }
    }
}

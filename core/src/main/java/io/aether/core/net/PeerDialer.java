package io.aether.core.net;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.lang.System.Logger.Level;

/**
 * Keeps one outbound link to one peer: dial, HELLO, and after every failure or loss redial after an
 * exponential, jittered backoff. It retries forever (peers are a fixed set that must come back); the bound is
 * the backoff ceiling, so an absent peer costs at most one connect attempt per reconnectMaxBackoff.
 */
final class PeerDialer implements OutboundHandshake.Outcome {
    private static final System.Logger LOG = System.getLogger(PeerDialer.class.getName());

    private final Transport transport;
    private final Vertx vertx;
    private final NetClient client;
    private final String peerId;
    private final HostAndPort address;
    private final Backoff backoff;
    private long timerId = -1;
    private boolean stopped;
    private boolean reportedDown;

    PeerDialer(Transport transport, Vertx vertx, NetClient client, String peerId, HostAndPort address,
            Backoff backoff) {
        this.transport = transport;
        this.vertx = vertx;
        this.client = client;
        this.peerId = peerId;
        this.address = address;
        this.backoff = backoff;
    }

    /** Starts a connection attempt; on the transport's event loop. */
    void dial() {
        timerId = -1;
        if (stopped) {
            return;
        }
        client.connect(address.port(), address.host()).onComplete(connected -> {
            if (connected.failed()) {
                failed("connect failed: " + connected.cause().getMessage());
            } else if (stopped) {
                connected.result().close();
            } else {
                OutboundHandshake handshake = new OutboundHandshake(vertx, peerId, this);
                Wire wire = transport.newWire(connected.result(), handshake);
                handshake.begin(wire, transport.hello(), transport.config().handshakeTimeout());
            }
        });
    }

    @Override
    public void established(Wire wire, String remoteNodeId) {
        backoff.reset();
        reportedDown = false;
        LOG.log(Level.INFO, "transport {0}: link to peer {1} at {2} established", transport.config().nodeId(),
                peerId, address);
        transport.registerPeer(wire, peerId, this);
    }

    @Override
    public void failed(String reason) {
        if (stopped) {
            return;
        }
        long delayMs = backoff.nextDelayMs();
        Level level = reportedDown ? Level.DEBUG : Level.INFO;
        reportedDown = true;
        LOG.log(level, "transport {0}: peer {1} at {2} not reachable ({3}); redialing in {4} ms",
                transport.config().nodeId(), peerId, address, reason, delayMs);
        timerId = vertx.setTimer(delayMs, id -> dial());
    }

    /** The established link closed; redial. */
    void linkLost() {
        failed("link lost");
    }

    void stop() {
        stopped = true;
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }
}

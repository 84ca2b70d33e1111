package io.aether.core.net;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's endpoint of the cluster network: listens for peers and clients, keeps exactly one link to every
 * configured peer (the node with the lower id dials, redialing with backoff), and moves opaque typed frames.
 * Sends never block: {@link #sendToPeer} returns false when the peer is down or its send queue is full, and the
 * layer above retransmits. All I/O and every {@link FrameHandler} call run on one event loop owned by this
 * transport. See docs/transport.md for the wire format and failure behaviour.
 */
public final class Transport implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Transport.class.getName());

    private final Vertx vertx;
    private final Context context;
    private final String deploymentId;
    private final TransportConfig config;
    private final FrameHandler handler;
    private final String name;
    private final NetClient client;
    private final Map<String, Link> peerLinks = new ConcurrentHashMap<>();
    private final Set<Link> clientLinks = new HashSet<>();
    private final Set<Wire> handshaking = new HashSet<>();
    private final Map<String, PeerDialer> dialers = new HashMap<>();
    private final int maxHandshaking;
    private final AtomicLong droppedFrames = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Promise<Void> closed = Promise.promise();
    private NetServer server;
    private long heartbeatTimerId = -1;

    private Transport(Vertx vertx, Context context, String deploymentId, TransportConfig config,
            FrameHandler handler) {
        this.vertx = vertx;
        this.context = context;
        this.deploymentId = deploymentId;
        this.config = config;
        this.handler = handler;
        this.name = config.nodeId();
        this.maxHandshaking = Math.max(16, config.maxClientConnections() + config.peers().size());
        this.client = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.handshakeTimeout().toMillis()))
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true));
    }

    /**
     * Binds the listen address, then starts dialing peers. Fails, naming host:port, if the address cannot be
     * bound (for example because the port is in use).
     */
    public static Future<Transport> start(Vertx vertx, TransportConfig config, FrameHandler handler) {
        ContextHolder holder = new ContextHolder();
        return vertx.deployVerticle(holder).compose(deploymentId -> {
            Promise<Transport> started = Promise.promise();
            holder.context().runOnContext(v -> {
                Transport transport = new Transport(vertx, holder.context(), deploymentId, config, handler);
                transport.listen().onComplete(listened -> {
                    if (listened.succeeded()) {
                        transport.startDialingAndHeartbeats();
                        started.complete(transport);
                    } else {
                        vertx.undeploy(deploymentId);
                        started.fail(listened.cause());
                    }
                });
            });
            return started.future();
        });
    }

    /**
     * Queues a frame for a peer (any thread). Returns false, and counts a drop, when there is no established link
     * to the peer or its send queue ({@code maxQueuedBytesPerPeer}) cannot take the frame.
     *
     * @param type application frame type, 0x00..0xEF
     * @throws IllegalArgumentException for an unknown peer, a reserved type, or a frame over maxFrameBytes
     */
    public boolean sendToPeer(String peerId, byte type, byte[] payload) {
        FrameTypes.requireApplication(type);
        if (!config.isPeer(peerId)) {
            throw new IllegalArgumentException("node " + name + " has no peer '" + peerId + "'; peers are "
                    + config.peers().keySet());
        }
        Link link = peerLinks.get(peerId);
        if (link == null || !link.wire().send(type, payload)) {
            droppedFrames.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Peers with an established link right now. */
    public Set<String> connectedPeers() {
        return Set.copyOf(peerLinks.keySet());
    }

    /** Frames {@link #sendToPeer} refused since start (peer down or queue full). */
    public long droppedFrames() {
        return droppedFrames.get();
    }

    /** The bound port (useful when the config asked for port 0). */
    public int localPort() {
        return server.actualPort();
    }

    /** Closes every connection and the listener, and stops redialing. Idempotent. */
    public Future<Void> closeAsync() {
        if (closing.compareAndSet(false, true)) {
            context.runOnContext(v -> shutdown());
        }
        return closed.future();
    }

    /**
     * Closes like {@link #closeAsync()}; off the event loop it waits up to 10 s for the port to be released.
     *
     * @throws IllegalStateException if the close does not finish in time
     */
    @Override
    public void close() {
        BlockingClose.await(closeAsync(), "transport " + name);
    }

    TransportConfig config() {
        return config;
    }

    Hello hello() {
        return new Hello(Role.PEER, config.nodeId(), config.secret());
    }

    Wire newWire(NetSocket socket, Wire.Events events) {
        return new Wire("transport " + name, context, socket, config.clusterId(), config.maxFrameBytes(),
                config.maxQueuedBytesPerPeer(), events);
    }

    /** Installs an established peer link, replacing (and closing) an older link to the same peer. */
    void registerPeer(Wire wire, String peerId, PeerDialer dialer) {
        Link link = new Link(wire, peerId, Role.PEER);
        wire.events(new LinkEvents(link, dialer), peerId);
        Link previous = peerLinks.put(peerId, link);
        if (previous != null) {
            LOG.log(Level.INFO, "transport {0}: peer {1} reconnected from {2}; closing its previous link from {3}",
                    name, peerId, link.remoteAddress(), previous.remoteAddress());
            previous.close();
        }
    }

    private Future<Void> listen() {
        NetServerOptions options = new NetServerOptions()
                .setHost(config.listenHost())
                .setPort(config.listenPort())
                .setReuseAddress(true)
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true);
        server = vertx.createNetServer(options).connectHandler(this::accept);
        String where = config.listenHost() + ":" + config.listenPort();
        return server.listen().<Void>mapEmpty().recover(cause -> Future.failedFuture(new IOException("transport "
                + name + ": cannot listen on " + where + ": " + cause.getMessage()
                + "; is another process or node using this port? Free it or configure another listenPort",
                cause)));
    }

    private void startDialingAndHeartbeats() {
        config.dialedPeers().forEach((peerId, address) -> {
            PeerDialer dialer = new PeerDialer(this, vertx, client, peerId, address,
                    new Backoff(config.reconnectInitialBackoff(), config.reconnectMaxBackoff()));
            dialers.put(peerId, dialer);
            dialer.dial();
        });
        long intervalMs = config.heartbeatInterval().toMillis();
        heartbeatTimerId = vertx.setPeriodic(intervalMs, id -> {
            peerLinks.values().forEach(link -> Heartbeat.tick(link.wire(), intervalMs));
            List.copyOf(clientLinks).forEach(link -> Heartbeat.tick(link.wire(), intervalMs));
        });
    }

    private void accept(NetSocket socket) {
        if (closing.get()) {
            socket.close();
            return;
        }
        if (handshaking.size() >= maxHandshaking) {
            LOG.log(Level.WARNING, "transport {0}: closing connection from {1}: {2} connections are already in "
                    + "handshake (bound {2})", name, socket.remoteAddress(), maxHandshaking);
            socket.close();
            return;
        }
        InboundHandshake handshake = new InboundHandshake(vertx, config.secret(), config.nodeId(), new Admission());
        Wire wire = newWire(socket, handshake);
        handshaking.add(wire);
        handshake.arm(wire, config.handshakeTimeout());
    }

    private void shutdown() {
        vertx.cancelTimer(heartbeatTimerId);
        dialers.values().forEach(PeerDialer::stop);
        List<Wire> wires = new ArrayList<>(handshaking);
        peerLinks.values().forEach(link -> wires.add(link.wire()));
        clientLinks.forEach(link -> wires.add(link.wire()));
        wires.forEach(Wire::close);
        Future<Void> serverClosed = server == null ? Future.succeededFuture() : server.close();
        serverClosed
                .transform(ignored -> client.close())
                .transform(ignored -> vertx.undeploy(deploymentId))
                .onComplete(closed);
    }

    private void deliver(Link link, Frame frame) {
        byte type = frame.type();
        if (FrameTypes.isApplication(type)) {
            if (!handler.acceptsType(type)) {
                link.wire().fail("unknown frame type " + FrameTypes.hex(type));
                return;
            }
            try {
                handler.onFrame(link, type, frame.payload());
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "transport " + name + ": frame handler threw on frame type "
                        + FrameTypes.hex(type) + " from " + link + "; the frame is lost", e);
            }
        } else if (type != FrameTypes.PING) {
            link.wire().fail("unexpected control frame " + FrameTypes.hex(type) + " after the handshake");
        }
    }

    /** Routes an established link's frames to the handler and cleans up when it closes. */
    private final class LinkEvents implements Wire.Events {
        private final Link link;
        private final PeerDialer dialer;

        LinkEvents(Link link, PeerDialer dialer) {
            this.link = link;
            this.dialer = dialer;
        }

        @Override
        public void onFrame(Wire wire, Frame frame) {
            deliver(link, frame);
        }

        @Override
        public void onClosed(Wire wire) {
            if (link.role() == Role.PEER) {
                peerLinks.remove(link.remoteNodeId(), link);
            } else {
                clientLinks.remove(link);
            }
            try {
                handler.onConnectionClosed(link);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "transport " + name + ": onConnectionClosed threw for " + link, e);
            }
            if (dialer != null && !closing.get()) {
                dialer.linkLost();
            }
        }
    }

    /** Admission rules for inbound HELLOs. */
    private final class Admission implements InboundHandshake.Admission {
        @Override
        public String refusal(Hello hello) {
            String id = hello.nodeId();
            return switch (hello.role()) {
                case PEER -> {
                    if (!config.isPeer(id)) {
                        yield "node " + id + " is not in the peer set of node " + name
                                + "; add it to the peers of every node or connect as CLIENT";
                    }
                    if (id.compareTo(name) > 0) {
                        yield "peer " + id + " must not dial " + name + ": the lower node id dials the higher;"
                                + " check that both nodes share one peers list";
                    }
                    yield null;
                }
                case CLIENT -> clientLinks.size() >= config.maxClientConnections()
                        ? "client limit of node " + name + " reached (maxClientConnections="
                                + config.maxClientConnections() + "); try another node"
                        : null;
            };
        }

        @Override
        public void admitted(Wire wire, Hello hello) {
            handshaking.remove(wire);
            switch (hello.role()) {
                case PEER -> registerPeer(wire, hello.nodeId(), null);
                case CLIENT -> {
                    Link link = new Link(wire, hello.nodeId(), Role.CLIENT);
                    wire.events(new LinkEvents(link, null), hello.nodeId());
                    clientLinks.add(link);
                }
            }
        }

        @Override
        public void abandoned(Wire wire) {
            handshaking.remove(wire);
        }
    }
}

package io.aether.core.net;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CLIENT side of the transport, for KvClient instances and worker nodes: keeps one connection to one of
 * several servers, trying the configured addresses in turn (wrapping around) with exponential, jittered backoff
 * between attempts, forever until closed. Listener calls run on the client's own event loop and must not block.
 */
public final class TransportClient implements AutoCloseable {
    /** Receives frames and state changes on the client's event loop. */
    public interface Listener {
        void onFrame(byte type, byte[] payload);

        /**
         * Connected after a successful HELLO; Disconnected when an established connection is lost. The new state
         * is already visible ({@link #isConnected()}, {@link #send}) when this is called, so a listener may send
         * from {@code Connected}.
         */
        default void onStateChange(ConnectionState state) {}
    }

    private static final System.Logger LOG = System.getLogger(TransportClient.class.getName());

    private final Vertx vertx;
    private final Context context;
    private final String deploymentId;
    private final TransportClientConfig config;
    private final Listener listener;
    private final NetClient netClient;
    private final Backoff backoff;
    private final AtomicLong droppedFrames = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Promise<Void> closed = Promise.promise();
    private volatile Wire current;
    private volatile HostAndPort currentServer;
    private int nextServer;
    private long retryTimerId = -1;
    private long heartbeatTimerId = -1;
    private boolean reportedDown;

    private TransportClient(Vertx vertx, Context context, String deploymentId, TransportClientConfig config,
            Listener listener) {
        this.vertx = vertx;
        this.context = context;
        this.deploymentId = deploymentId;
        this.config = config;
        this.listener = listener;
        this.backoff = new Backoff(config.reconnectInitialBackoff(), config.reconnectMaxBackoff());
        this.netClient = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.handshakeTimeout().toMillis()))
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true));
    }

    /** Starts connecting; the future completes at once, the connection follows (see the listener). */
    public static Future<TransportClient> start(Vertx vertx, TransportClientConfig config, Listener listener) {
        ContextHolder holder = new ContextHolder();
        return vertx.deployVerticle(holder).map(deploymentId -> {
            TransportClient client = new TransportClient(vertx, holder.context(), deploymentId, config, listener);
            holder.context().runOnContext(v -> client.begin());
            return client;
        });
    }

    /**
     * Queues a frame for the connected server (any thread). Returns false, and counts a drop, when not connected
     * or when the send queue ({@code maxQueuedBytes}) cannot take the frame.
     *
     * @param type application frame type, 0x00..0xEF
     * @throws IllegalArgumentException for a reserved type or a frame over maxFrameBytes
     */
    public boolean send(byte type, byte[] payload) {
        FrameTypes.requireApplication(type);
        Wire wire = current;
        if (wire == null || !wire.send(type, payload)) {
            droppedFrames.incrementAndGet();
            return false;
        }
        return true;
    }

    public boolean isConnected() {
        return current != null;
    }

    /** The server of the established connection, if any. */
    public Optional<HostAndPort> connectedServer() {
        return current == null ? Optional.empty() : Optional.ofNullable(currentServer);
    }

    /** Frames {@link #send} refused since start. */
    public long droppedFrames() {
        return droppedFrames.get();
    }

    /** Closes the connection and stops reconnecting. Idempotent. */
    public Future<Void> closeAsync() {
        if (closing.compareAndSet(false, true)) {
            context.runOnContext(v -> {
                vertx.cancelTimer(retryTimerId);
                vertx.cancelTimer(heartbeatTimerId);
                Wire wire = current;
                if (wire != null) {
                    wire.close();
                }
                netClient.close().transform(ignored -> vertx.undeploy(deploymentId)).onComplete(closed);
            });
        }
        return closed.future();
    }

    /** Closes like {@link #closeAsync()}, waiting up to 10 s when called off the event loop. */
    @Override
    public void close() {
        BlockingClose.await(closeAsync(), "client " + config.clientId());
    }

    private void begin() {
        long intervalMs = config.heartbeatInterval().toMillis();
        heartbeatTimerId = vertx.setPeriodic(intervalMs, id -> {
            Wire wire = current;
            if (wire != null) {
                Heartbeat.tick(wire, intervalMs);
            }
        });
        dial();
    }

    private void dial() {
        retryTimerId = -1;
        if (closing.get()) {
            return;
        }
        HostAndPort server = config.servers().get(nextServer);
        nextServer = (nextServer + 1) % config.servers().size();
        netClient.connect(server.port(), server.host()).onComplete(connected -> {
            if (connected.failed()) {
                retry(server, "connect failed: " + connected.cause().getMessage());
                return;
            }
            if (closing.get()) {
                connected.result().close();
                return;
            }
            OutboundHandshake handshake = new OutboundHandshake(vertx, null, new OutboundHandshake.Outcome() {
                @Override
                public void established(Wire wire, String serverNodeId) {
                    onEstablished(wire, server, serverNodeId);
                }

                @Override
                public void failed(String reason) {
                    retry(server, reason);
                }
            });
            Wire wire = new Wire("client " + config.clientId(), context, connected.result(), config.clusterId(),
                    config.maxFrameBytes(), config.maxQueuedBytes(), handshake);
            handshake.begin(wire, new Hello(Role.CLIENT, config.clientId(), config.secret()),
                    config.handshakeTimeout());
        });
    }

    private void onEstablished(Wire wire, HostAndPort server, String serverNodeId) {
        backoff.reset();
        reportedDown = false;
        wire.events(new Wire.Events() {
            @Override
            public void onFrame(Wire w, Frame frame) {
                deliver(w, frame);
            }

            @Override
            public void onClosed(Wire w) {
                current = null;
                notifyState(new ConnectionState.Disconnected(server, "connection to node " + serverNodeId
                        + " closed"));
                retry(server, "connection lost");
            }
        }, serverNodeId);
        currentServer = server;
        current = wire;
        LOG.log(Level.INFO, "client {0}: connected to node {1} at {2}", config.clientId(), serverNodeId, server);
        notifyState(new ConnectionState.Connected(server, serverNodeId));
    }

    private void retry(HostAndPort server, String reason) {
        if (closing.get()) {
            return;
        }
        long delayMs = backoff.nextDelayMs();
        Level level = reportedDown ? Level.DEBUG : Level.INFO;
        reportedDown = true;
        LOG.log(level, "client {0}: server {1} unavailable ({2}); trying {3} in {4} ms", config.clientId(), server,
                reason, config.servers().get(nextServer), delayMs);
        retryTimerId = vertx.setTimer(delayMs, id -> dial());
    }

    private void deliver(Wire wire, Frame frame) {
        byte type = frame.type();
        if (FrameTypes.isApplication(type)) {
            try {
                listener.onFrame(type, frame.payload());
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "client " + config.clientId() + ": listener threw on frame type "
                        + FrameTypes.hex(type) + "; the frame is lost", e);
            }
        } else if (type != FrameTypes.PING) {
            wire.fail("unexpected control frame " + FrameTypes.hex(type) + " after the handshake");
        }
    }

    private void notifyState(ConnectionState state) {
        try {
            listener.onStateChange(state);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "client " + config.clientId() + ": listener threw on state change " + state, e);
        }
    }
}

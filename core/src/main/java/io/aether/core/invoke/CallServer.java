package io.aether.core.invoke;

import io.aether.core.net.Connection;
import io.aether.core.net.FrameHandler;
import io.aether.core.net.Transport;
import io.aether.core.net.TransportConfig;
import io.aether.core.slice.SliceInstance;
import io.aether.slice.api.SliceException;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Serves calls from other nodes to this node's {@link LocalInstances}, on the call port: a {@link Transport} with no
 * peers that accepts CLIENT connections (HELLO with the cluster secret). A call whose deadline has passed, that
 * names an instance not registered here, or that exceeds {@code maxServing} is answered at once with the
 * "not run" flag, so the caller may safely try another instance. A malformed frame closes the connection that sent
 * it (one WARN line); other connections are unaffected. Other protocols may share the port through
 * {@link #onFrame(byte, BiConsumer)} (metrics use 0x42 and 0x43).
 */
public final class CallServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CallServer.class.getName());

    private final Vertx vertx;
    private final CallConfig config;
    private final LocalInstances local;
    private final AtomicInteger serving = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    /** At most one handler per frame type: bounded by the 240 application types. */
    private final Map<Byte, BiConsumer<String, byte[]>> frameHandlers = new ConcurrentHashMap<>();
    private volatile Transport transport;

    private CallServer(Vertx vertx, CallConfig config, LocalInstances local) {
        this.vertx = vertx;
        this.config = config;
        this.local = local;
    }

    /** Binds the call port; fails naming host:port when it cannot. */
    public static CompletableFuture<CallServer> start(Vertx vertx, CallConfig config, LocalInstances local) {
        CallServer server = new CallServer(vertx, config, local);
        TransportConfig transportConfig = TransportConfig
                .defaults(config.nodeId(), config.clusterId(), config.listenHost(), config.listenPort(), Map.of())
                .withSecret(config.secret());
        return Transport.start(vertx, transportConfig, server.new Handler()).toCompletionStage()
                .toCompletableFuture().thenApply(t -> {
                    server.transport = t;
                    return server;
                });
    }

    /**
     * Routes frames of {@code type} that callers send ({@link Invoker#send}) to {@code handler}, with the sender's
     * node id (from its authenticated HELLO). The handler runs on the transport's event loop and must not block;
     * frames of a type nobody registered close the connection that sent them.
     *
     * @throws IllegalArgumentException for the call protocol's types (0x40, 0x41) or a reserved type (0xF0..0xFF)
     * @throws IllegalStateException when {@code type} already has a handler
     */
    public void onFrame(byte type, BiConsumer<String, byte[]> handler) {
        if (type == CallFrames.REQUEST || type == CallFrames.RESPONSE || Byte.toUnsignedInt(type) > 0xEF) {
            throw new IllegalArgumentException("call server " + config.nodeId() + ": frame type 0x"
                    + Integer.toHexString(Byte.toUnsignedInt(type)) + " is the call protocol's or reserved");
        }
        if (frameHandlers.putIfAbsent(type, handler) != null) {
            throw new IllegalStateException("call server " + config.nodeId() + ": frame type 0x"
                    + Integer.toHexString(Byte.toUnsignedInt(type)) + " already has a handler");
        }
    }

    /** The bound call port. */
    public int localPort() {
        return transport.localPort();
    }

    /** Calls run to an answer (success or slice error) since start. */
    public long served() {
        return served.get();
    }

    /** Calls answered without running (expired, unknown instance, over {@code maxServing}). */
    public long refused() {
        return refused.get();
    }

    /** Malformed frames received; each closed its connection. */
    public long malformed() {
        return malformed.get();
    }

    /** Calls running now. */
    public int serving() {
        return serving.get();
    }

    /** Closes the listener and every connection, waiting up to 10 s off the event loop. Idempotent. */
    @Override
    public void close() {
        Transport t = transport;
        if (t != null) {
            t.close();
        }
    }

    private void onRequest(Connection from, byte[] payload) {
        CallFrames.Request request;
        try {
            request = CallFrames.decodeRequest(payload);
        } catch (CallCodecException e) {
            malformed.incrementAndGet();
            LOG.log(Level.WARNING, "call server {0}: closing connection from {1}: {2}", config.nodeId(), from,
                    e.getMessage());
            from.close();
            return;
        }
        Optional<SliceInstance> found = local.byId(request.instanceId());
        if (refused(from, request, found)) {
            return;
        }
        SliceInstance instance = found.get();
        AtomicBoolean answered = new AtomicBoolean();
        long timerId = vertx.setTimer(request.remainingMs() + Math.max(1, config.servingGrace().toMillis()), id -> {
            if (answered.compareAndSet(false, true)) {
                serving.decrementAndGet();
                LOG.log(Level.WARNING, "call server {0}: instance {1} entry {2} did not answer call {3} from {4} "
                        + "within its deadline ({5} ms) and {6} ms grace; answered 504", config.nodeId(),
                        request.instanceId(), request.entry(), request.callId(), from, request.remainingMs(),
                        config.servingGrace().toMillis());
                answer(from, new CallFrames.Response(request.callId(), 504, false, "instance "
                        + request.instanceId() + " entry '" + request.entry() + "' did not answer within the deadline"));
            }
        });
        long startedNanos = System.nanoTime();
        CallObserver.Probe probe = local.observer().started(instance.artifact(), request.entry());
        CompletableFuture<String> result;
        try {
            result = instance.call(request.entry(), request.json());
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((json, failure) -> {
            probe.completed(System.nanoTime() - startedNanos, failure != null);
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            vertx.cancelTimer(timerId);
            serving.decrementAndGet();
            served.incrementAndGet();
            if (failure == null) {
                answer(from, new CallFrames.Response(request.callId(), CallFrames.OK, false,
                        json == null ? "null" : json));
            } else {
                SliceException e = Failures.toSliceException(failure, "instance " + request.instanceId()
                        + " entry '" + request.entry() + "'");
                answer(from, new CallFrames.Response(request.callId(), e.status(), false, String.valueOf(
                        e.getMessage())));
            }
        });
    }

    /** Answers a call that will not run, with the "not run" flag; otherwise takes a serving slot. */
    private boolean refused(Connection from, CallFrames.Request request, Optional<SliceInstance> instance) {
        String why;
        int status;
        if (request.remainingMs() == 0) {
            status = 504;
            why = "the deadline of the call passed before node " + config.nodeId() + " could start it";
        } else if (instance.isEmpty()) {
            status = 503;
            why = "instance " + request.instanceId() + " is not ACTIVE on node " + config.nodeId();
        } else if (!instance.get().entryPoints().contains(request.entry())) {
            status = 404;
            why = "instance " + request.instanceId() + " of " + instance.get().artifact() + " has no entry point '"
                    + request.entry() + "'";
        } else if (serving.incrementAndGet() > config.maxServing()) {
            serving.decrementAndGet();
            status = 503;
            why = "node " + config.nodeId() + " is already serving " + config.maxServing()
                    + " calls (maxServing)";
        } else {
            return false;
        }
        refused.incrementAndGet();
        answer(from, new CallFrames.Response(request.callId(), status, true, why));
        return true;
    }

    private void answer(Connection to, CallFrames.Response response) {
        if (!to.send(CallFrames.RESPONSE, CallFrames.encode(response))) {
            LOG.log(Level.WARNING, "call server {0}: could not send the answer to call {1} to {2} (connection "
                    + "closed or its send queue full); the caller will time out", config.nodeId(),
                    response.callId(), to);
        }
    }

    /** Runs on the transport's event loop. */
    private final class Handler implements FrameHandler {
        @Override
        public void onFrame(Connection from, byte type, byte[] payload) {
            if (type == CallFrames.REQUEST) {
                onRequest(from, payload);
                return;
            }
            try {
                frameHandlers.get(type).accept(from.remoteNodeId(), payload);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "call server {0}: the handler of frame type 0x{1} failed on a frame from "
                        + "{2}: {3}", config.nodeId(), Integer.toHexString(Byte.toUnsignedInt(type)), from,
                        e.toString());
            }
        }

        @Override
        public boolean acceptsType(byte type) {
            return type == CallFrames.REQUEST || frameHandlers.containsKey(type);
        }
    }
}

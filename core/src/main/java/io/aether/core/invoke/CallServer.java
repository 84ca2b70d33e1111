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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves calls from other nodes to this node's {@link LocalInstances}, on the call port: a {@link Transport} with no
 * peers that accepts CLIENT connections (HELLO with the cluster secret). A call whose deadline has passed, that
 * names an instance not registered here, or that exceeds {@code maxServing} is answered at once with the
 * "not run" flag, so the caller may safely try another instance. A malformed frame closes the connection that sent
 * it (one WARN line); other connections are unaffected.
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
        CompletableFuture<String> result;
        try {
            result = instance.call(request.entry(), request.json());
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((json, failure) -> {
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
            onRequest(from, payload);
        }

        @Override
        public boolean acceptsType(byte type) {
            return type == CallFrames.REQUEST;
        }
    }
}

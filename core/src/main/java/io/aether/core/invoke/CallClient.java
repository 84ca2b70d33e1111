package io.aether.core.invoke;

import io.aether.core.net.ConnectionState;
import io.aether.core.net.HostAndPort;
import io.aether.core.net.TransportClient;
import io.aether.core.net.TransportClientConfig;
import io.aether.slice.api.SliceException;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls to the instances of one remote node over one call-transport connection. A call is either never sent (it
 * fails with {@link NotRunException}: safe to send elsewhere) or sent (then it ends with the node's answer, 504 at
 * the deadline, or 502 when the connection is lost; never re-sent). Calls made while a fresh connection is being
 * established wait for it up to {@code connectWait}; after that, or after the connection was lost, calls fail at
 * once until it is back. At most {@code maxInFlightPerNode} calls wait or are in flight. Thread-safe; futures are
 * completed outside the lock, on the transport's or a timer's event loop.
 */
final class CallClient {

    private static final System.Logger LOG = System.getLogger(CallClient.class.getName());

    private final Vertx vertx;
    private final CallConfig config;
    private final String nodeId;
    private final HostAndPort address;
    private final AtomicLong lateAnswers;
    private final Runnable onBroken;
    private final long connectWaitEndsNanos;
    private final Map<Long, Pending> sent = new HashMap<>();
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private TransportClient transport;
    private boolean connected;
    private boolean unreachable;
    private boolean closed;
    private long nextCallId = 1;

    /** One call: its frame is encoded when it is sent, with the deadline remaining then. */
    private static final class Pending {
        final long callId;
        final String instanceId;
        final String entry;
        final String json;
        final String traceparent;
        final long deadlineNanos;
        final CompletableFuture<String> future = new CompletableFuture<>();
        long timerId = -1;

        Pending(long callId, String instanceId, String entry, String json, String traceparent, long deadlineNanos) {
            this.callId = callId;
            this.instanceId = instanceId;
            this.entry = entry;
            this.json = json;
            this.traceparent = traceparent;
            this.deadlineNanos = deadlineNanos;
        }
    }

    private CallClient(Vertx vertx, CallConfig config, String nodeId, HostAndPort address, AtomicLong lateAnswers,
            Runnable onBroken) {
        this.vertx = vertx;
        this.config = config;
        this.nodeId = nodeId;
        this.address = address;
        this.lateAnswers = lateAnswers;
        this.onBroken = onBroken;
        this.connectWaitEndsNanos = System.nanoTime() + config.connectWait().toNanos();
    }

    /**
     * Starts connecting to {@code nodeId}'s call port at {@code address}.
     *
     * @param onBroken called once when the client closed itself (malformed answer); the owner drops it
     */
    static CallClient start(Vertx vertx, CallConfig config, String nodeId, HostAndPort address,
            AtomicLong lateAnswers, Runnable onBroken) {
        CallClient client = new CallClient(vertx, config, nodeId, address, lateAnswers, onBroken);
        TransportClientConfig transportConfig = TransportClientConfig
                .defaults(config.nodeId(), config.clusterId(), List.of(address)).withSecret(config.secret());
        vertx.setTimer(Math.max(1, config.connectWait().toMillis()), id -> client.connectWaitOver());
        TransportClient.start(vertx, transportConfig, client.new Listener()).onComplete(started -> {
            if (started.succeeded()) {
                client.transportStarted(started.result());
            } else {
                client.fail("could not start a client to node " + nodeId + " at " + address + ": "
                        + started.cause());
            }
        });
        return client;
    }

    String nodeId() {
        return nodeId;
    }

    /** Calls {@code instanceId}; see the class comment for how it can end. */
    CompletableFuture<String> call(String instanceId, String entry, String json, String traceparent,
            long deadlineNanos) {
        Pending p;
        List<Runnable> after = new ArrayList<>(1);
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new NotRunException(503, "the call client of node " + nodeId
                        + " is closed"));
            }
            if (sent.size() + waiting.size() >= config.maxInFlightPerNode()) {
                return CompletableFuture.failedFuture(new NotRunException(503, "node " + config.nodeId()
                        + " already has " + config.maxInFlightPerNode() + " calls in flight to node " + nodeId
                        + " (maxInFlightPerNode)"));
            }
            boolean mayWait = !unreachable && System.nanoTime() < connectWaitEndsNanos;
            if (!connected && !mayWait) {
                return CompletableFuture.failedFuture(new NotRunException(503, "node " + nodeId + " at " + address
                        + " is not connected (reconnecting)"));
            }
            p = new Pending(nextCallId++, instanceId, entry, json, traceparent, deadlineNanos);
            long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
            Pending timed = p;
            p.timerId = vertx.setTimer(remainingMs, id -> expire(timed));
            if (connected && transport != null) {
                send(p, after);
            } else {
                waiting.add(p);
            }
        }
        after.forEach(Runnable::run);
        return p.future;
    }

    /** Sends a frame of another protocol on this connection; false when not connected or its queue is full. */
    boolean send(byte type, byte[] payload) {
        if (type == CallFrames.REQUEST || type == CallFrames.RESPONSE) {
            throw new IllegalArgumentException("frame type 0x" + Integer.toHexString(type) + " belongs to the call "
                    + "protocol");
        }
        TransportClient t;
        synchronized (this) {
            if (closed || !connected || transport == null) {
                return false;
            }
            t = transport;
        }
        return t.send(type, payload);
    }

    /** Closes the connection; calls waiting fail as not sent, calls in flight with 502. Idempotent. */
    void close(String why) {
        List<Runnable> after = new ArrayList<>();
        TransportClient t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = transport;
            failAll(why, after);
        }
        after.forEach(Runnable::run);
        if (t != null) {
            t.closeAsync().onFailure(e -> LOG.log(Level.WARNING, "call client to node {0}: close failed: {1}",
                    nodeId, e.toString()));
        }
    }

    /** Must hold the lock. Sends {@code p} or queues its failure in {@code after}. */
    private void send(Pending p, List<Runnable> after) {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(p.deadlineNanos - System.nanoTime());
        byte[] frame;
        try {
            frame = CallFrames.encode(new CallFrames.Request(p.callId, Math.max(1, Math.min(remainingMs,
                    0xFFFF_FFFFL)), p.traceparent, p.instanceId, p.entry, p.json));
        } catch (IllegalArgumentException e) {
            finish(p, new SliceException(400, "call to instance " + p.instanceId + ": " + e.getMessage()), after);
            return;
        }
        boolean queued;
        try {
            queued = transport.send(CallFrames.REQUEST, frame);
        } catch (IllegalArgumentException e) {
            finish(p, new SliceException(413, "call to instance " + p.instanceId + " is too large: "
                    + e.getMessage()), after);
            return;
        }
        if (!queued) {
            finish(p, new NotRunException(503, "the connection to node " + nodeId
                    + " refused the call (closed or its send queue is full)"), after);
            return;
        }
        sent.put(p.callId, p);
    }

    /** Must hold the lock. Cancels {@code p}'s timer and queues its completion. */
    private void finish(Pending p, Throwable failure, List<Runnable> after) {
        vertx.cancelTimer(p.timerId);
        after.add(() -> p.future.completeExceptionally(failure));
    }

    private void failAll(String why, List<Runnable> after) {
        for (Pending p : waiting) {
            finish(p, new NotRunException(503, "call to node " + nodeId + " not sent: " + why), after);
        }
        waiting.clear();
        for (Pending p : sent.values()) {
            finish(p, new SliceException(502, "call " + p.callId + " to instance " + p.instanceId + " on node "
                    + nodeId + " was sent but " + why + "; it may have run, so it is not retried"), after);
        }
        sent.clear();
    }

    private void expire(Pending p) {
        synchronized (this) {
            if (sent.remove(p.callId) == null && !waiting.remove(p)) {
                return;
            }
        }
        p.future.completeExceptionally(new SliceException(504, "no answer from instance " + p.instanceId
                + " on node " + nodeId + " for entry '" + p.entry + "' within the deadline"));
    }

    private void transportStarted(TransportClient t) {
        boolean close;
        synchronized (this) {
            close = closed;
            transport = t;
        }
        if (close) {
            t.closeAsync();
        } else {
            flushIfReady();
        }
    }

    private void connectWaitOver() {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            if (connected || closed) {
                return;
            }
            unreachable = true;
            for (Pending p : waiting) {
                finish(p, new NotRunException(503, "node " + nodeId + " at " + address + " did not accept a "
                        + "connection within " + config.connectWait().toMillis() + " ms"), after);
            }
            waiting.clear();
        }
        after.forEach(Runnable::run);
    }

    private void flushIfReady() {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            if (!connected || transport == null || closed) {
                return;
            }
            while (!waiting.isEmpty()) {
                send(waiting.poll(), after);
            }
        }
        after.forEach(Runnable::run);
    }

    private void onResponse(byte type, byte[] payload) {
        CallFrames.Response response;
        try {
            if (type != CallFrames.RESPONSE) {
                throw new CallCodecException("unexpected frame type " + type + " on the call transport");
            }
            response = CallFrames.decodeResponse(payload);
        } catch (CallCodecException e) {
            LOG.log(Level.WARNING, "call client to node {0}: closing the connection: malformed answer: {1}", nodeId,
                    e.getMessage());
            fail("node " + nodeId + " sent a malformed answer (" + e.getMessage() + ")");
            return;
        }
        Pending p;
        synchronized (this) {
            p = sent.remove(response.callId());
            if (p != null) {
                vertx.cancelTimer(p.timerId);
            }
        }
        if (p == null) {
            lateAnswers.incrementAndGet();
            LOG.log(Level.DEBUG, "call client to node {0}: ignoring the answer to call {1}: it timed out or was "
                    + "failed before", nodeId, response.callId());
            return;
        }
        if (response.status() == CallFrames.OK) {
            p.future.complete(response.body());
        } else if (response.notRun()) {
            p.future.completeExceptionally(new NotRunException(response.status(), response.body()));
        } else {
            p.future.completeExceptionally(new SliceException(response.status(), response.body()));
        }
    }

    private void fail(String why) {
        close(why);
        onBroken.run();
    }

    private final class Listener implements TransportClient.Listener {
        @Override
        public void onFrame(byte type, byte[] payload) {
            onResponse(type, payload);
        }

        @Override
        public void onStateChange(ConnectionState state) {
            if (state instanceof ConnectionState.Connected) {
                synchronized (CallClient.this) {
                    connected = true;
                    unreachable = false;
                }
                flushIfReady();
            } else {
                List<Runnable> after = new ArrayList<>();
                synchronized (CallClient.this) {
                    connected = false;
                    unreachable = true;
                    failAll("the connection was lost", after);
                }
                after.forEach(Runnable::run);
            }
        }
    }
}

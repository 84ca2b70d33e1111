package io.aether.core.cluster;

import io.aether.core.client.KvClient;
import io.aether.core.client.KvMirror;
import io.aether.core.kv.KvResult;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * This node's membership: registers {@code nodes/{id}}, rewrites it every heartbeat interval with the next beat,
 * mirrors {@code nodes/} and judges every node's liveness on the local clock (docs/runtime.md): live while a change
 * of its key was seen within the lease. Publishes NodeJoined, NodeLeft, NodeFailed and NodeDraining on the bus.
 * Reads ({@link #liveNodes()}, {@link #isLive}) are lock-free snapshots. Start with {@link #start}; {@link #close}
 * deletes the key (a clean leave).
 */
public final class NodeRegistry implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NodeRegistry.class.getName());
    /** How long {@link #close} waits for the key's deletion. */
    private static final long CLOSE_WAIT_MS = 5000;

    private final KvClient kv;
    private final Vertx vertx;
    private final ClusterEventBus bus;
    private final LongSupplier nanoTime;
    private final Membership membership;
    private final Duration heartbeat;
    private final Duration lease;
    private NodeRecord self;
    private volatile Map<String, NodeRecord> live = Map.of();
    private volatile long lastChangeSeenNanos;
    private KvMirror mirror;
    private long heartbeatTimer = -1;
    private long leaseTimer = -1;
    private boolean heartbeatInFlight;
    private boolean closed;

    private NodeRegistry(KvClient kv, Vertx vertx, ClusterEventBus bus, NodeRecord self, Duration heartbeat,
                         Duration lease, LongSupplier nanoTime) {
        if (heartbeat.isNegative() || heartbeat.isZero() || lease.compareTo(heartbeat) <= 0) {
            throw new IllegalArgumentException("heartbeat interval (" + heartbeat.toMillis()
                    + " ms) must be positive and below the lease (" + lease.toMillis() + " ms)");
        }
        this.kv = kv;
        this.vertx = vertx;
        this.bus = bus;
        this.self = self;
        this.heartbeat = heartbeat;
        this.lease = lease;
        this.nanoTime = nanoTime;
        this.membership = new Membership(lease.toNanos());
        this.lastChangeSeenNanos = nanoTime.getAsLong();
    }

    /**
     * Registers {@code self} (its beat restarts at 0) and starts heartbeats, the {@code nodes/} mirror and the lease
     * checks. The returned future completes once the key is written and the first range is in.
     *
     * @param heartbeat interval of key rewrites (default 1 s)
     * @param lease     how long a node stays live without a change of its key being seen (default 3 s)
     * @param nanoTime  the clock liveness is judged on ({@code System::nanoTime} outside tests)
     */
    public static CompletableFuture<NodeRegistry> start(KvClient kv, Vertx vertx, ClusterEventBus bus,
                                                        NodeRecord self, Duration heartbeat, Duration lease,
                                                        LongSupplier nanoTime) {
        NodeRegistry registry = new NodeRegistry(kv, vertx, bus, self.withBeat(0), heartbeat, lease, nanoTime);
        return registry.begin().handle((v, error) -> {
            if (error != null) {
                registry.stopBackground();
                throw new IllegalStateException("node '" + self.nodeId() + "' could not register: " + error, error);
            }
            return registry;
        });
    }

    private CompletableFuture<Void> begin() {
        CompletableFuture<Long> registered = kv.put(NodeKeys.key(self.nodeId()), NodeCodec.encode(self));
        synchronized (this) {
            mirror = KvMirror.start(kv, NodeKeys.PREFIX, this::onChanges);
            heartbeatTimer = vertx.setPeriodic(heartbeat.toMillis(), id -> beat());
            // Checking four times per lease bounds how late a failure is noticed to a quarter lease.
            leaseTimer = vertx.setPeriodic(Math.max(50, lease.toMillis() / 4), id -> checkLeases());
        }
        return CompletableFuture.allOf(registered, mirror.ready());
    }

    private void onChanges(List<KvMirror.Change> changes) {
        long now = nanoTime.getAsLong();
        lastChangeSeenNanos = now;
        for (KvMirror.Change c : changes) {
            List<ClusterEvent> events;
            synchronized (this) {
                if (c.after().isPresent()) {
                    try {
                        events = membership.onPut(NodeCodec.decode(c.key(), c.after().get().value()), now);
                    } catch (IllegalArgumentException e) {
                        LOG.log(System.Logger.Level.WARNING, "ignoring unreadable node key: {0}", e.getMessage());
                        continue;
                    }
                } else {
                    events = membership.onDelete(NodeKeys.nodeId(c.key()));
                }
                live = Map.copyOf(membership.live());
            }
            events.forEach(bus::publish);
        }
    }

    /** Runs the lease checks now; the registry's timer calls it periodically. */
    void checkLeases() {
        List<ClusterEvent> events;
        synchronized (this) {
            events = membership.expire(nanoTime.getAsLong());
            if (!events.isEmpty()) {
                live = Map.copyOf(membership.live());
            }
        }
        events.forEach(bus::publish);
    }

    private void beat() {
        NodeRecord next;
        synchronized (this) {
            if (closed || heartbeatInFlight) {
                return; // never more than one heartbeat in flight: a slow KV gets no growing backlog
            }
            heartbeatInFlight = true;
            self = self.withBeat(self.beat() + 1);
            next = self;
        }
        kv.put(NodeKeys.key(next.nodeId()), NodeCodec.encode(next)).whenComplete((rev, error) -> {
            synchronized (this) {
                heartbeatInFlight = false;
            }
            if (error != null) {
                LOG.log(System.Logger.Level.WARNING, "heartbeat {0} of node ''{1}'' failed: {2}", next.beat(),
                        next.nodeId(), error.toString());
            }
        });
    }

    /** Sets this node's drain flag (take no new instances) and writes it at once. */
    public CompletableFuture<Void> drain(boolean drain) {
        NodeRecord next;
        synchronized (this) {
            self = self.withDrain(drain).withBeat(self.beat() + 1);
            next = self;
        }
        return kv.put(NodeKeys.key(next.nodeId()), NodeCodec.encode(next)).thenApply(rev -> null);
    }

    public String selfId() {
        return self.nodeId();
    }

    /** The live nodes by id, in id order (an immutable snapshot). */
    public Map<String, NodeRecord> liveNodes() {
        return live;
    }

    /**
     * Whether a change under {@code nodes/} was seen within two heartbeat intervals. Every live node (this one
     * included) rewrites its key each interval, so a quiet watch means this node's view is stale (its KV link stalls),
     * and lease expiries it judges now may be its own problem rather than the other nodes'. The leader does not act
     * on failures while its view is stale.
     */
    public boolean viewIsFresh() {
        return nanoTime.getAsLong() - lastChangeSeenNanos <= 2 * heartbeat.toNanos();
    }

    /** Every node with a key, live or failed, by id in id order (a copy). */
    public synchronized Map<String, NodeRecord> allNodes() {
        return membership.all();
    }

    public boolean isLive(String nodeId) {
        return live.containsKey(nodeId);
    }

    /** The last record seen for {@code nodeId}, live or failed; empty once its key is gone. */
    public synchronized Optional<NodeRecord> node(String nodeId) {
        return Optional.ofNullable(membership.known(nodeId));
    }

    /** Stops the timers and the mirror; false when already stopped. */
    private boolean stopBackground() {
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
            vertx.cancelTimer(heartbeatTimer);
            vertx.cancelTimer(leaseTimer);
        }
        mirror.close();
        return true;
    }

    /**
     * Stops heartbeats and deletes this node's key, waiting up to 5 s for the deletion: a clean leave. Blocks:
     * do not call on a Vert.x event loop.
     */
    @Override
    public void close() {
        if (!stopBackground()) {
            return;
        }
        try {
            KvResult deleted = kv.delete(NodeKeys.key(self.nodeId())).get(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
            LOG.log(System.Logger.Level.DEBUG, "node ''{0}'' left: {1}", self.nodeId(), deleted);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.log(System.Logger.Level.WARNING, "node ''{0}'': interrupted deleting its key; peers will see the "
                    + "lease expire instead", self.nodeId());
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "node ''{0}'' could not delete its key ({1}); peers will see the "
                    + "lease expire instead", self.nodeId(), e.toString());
        }
    }
}

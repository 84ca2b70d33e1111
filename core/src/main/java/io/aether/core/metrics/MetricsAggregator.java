package io.aether.core.metrics;

import io.aether.core.invoke.CallServer;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The cluster's metrics as every node sees them. Every node constructs one (it registers the 0x42 update and
 * 0x43 snapshot frames on the call server) and so holds {@link #latest()}; on the leader it runs between
 * {@link #start()} and {@link #stop()}: half a second after each second turns it merges the nodes' updates of the
 * second before into a {@link ClusterMetricsSnapshot} ({@link SecondAggregation}), appends it to the window
 * ({@link #history()}), and sends it to every other live node. A snapshot frame is taken only from the node the
 * leader supplier names. Listeners hear every snapshot this node gets, on an event loop: they must not block.
 */
public final class MetricsAggregator implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MetricsAggregator.class.getName());
    /** Ticks half a second into each second, so updates sent just after the second turned have arrived. */
    private static final long TICK_OFFSET_MS = 500;

    private final String nodeId;
    private final Vertx vertx;
    private final Supplier<Optional<String>> leader;
    private final Supplier<Collection<String>> liveNodeIds;
    private final FrameSender sender;
    private final Clock clock;
    private final MetricsConfig config;
    private final MetricsWindow window;
    private final AtomicReference<ClusterMetricsSnapshot> latest = new AtomicReference<>();
    private final List<Consumer<ClusterMetricsSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong droppedUpdates = new AtomicLong();
    private final AtomicLong malformedFrames = new AtomicLong();
    private SecondAggregation aggregation;
    private long timerId = -1;

    /**
     * @param leader       the current leader's node id, empty while there is none
     * @param liveNodeIds  the nodes that should report (the membership's live nodes, this one included)
     * @param server       this node's call server; the two metrics frame types are registered on it
     * @param sender       reaches other nodes' call servers ({@code invoker::send})
     */
    public MetricsAggregator(String nodeId, Vertx vertx, Supplier<Optional<String>> leader,
            Supplier<Collection<String>> liveNodeIds, CallServer server, FrameSender sender, Clock clock,
            MetricsConfig config) {
        this.nodeId = nodeId;
        this.vertx = vertx;
        this.leader = leader;
        this.liveNodeIds = liveNodeIds;
        this.sender = sender;
        this.clock = clock;
        this.config = config;
        this.window = new MetricsWindow(config.windowSeconds(), config.maxSlices());
        server.onFrame(MetricsFrames.UPDATE, this::onUpdateFrame);
        server.onFrame(MetricsFrames.SNAPSHOT, this::onSnapshotFrame);
    }

    /** This node became the leader: aggregate from now on. The window keeps what an earlier term appended. */
    public synchronized void start() {
        if (timerId >= 0) {
            return;
        }
        aggregation = new SecondAggregation(config.staleAfter().toMillis(), config.maxNodes(), clock.millis());
        schedule();
        LOG.log(Level.INFO, "metrics aggregator {0}: aggregating as leader", nodeId);
    }

    /** This node is no longer the leader: stop aggregating and drop pending updates. Idempotent. */
    public synchronized void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
            aggregation = null;
            LOG.log(Level.INFO, "metrics aggregator {0}: stopped aggregating", nodeId);
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isAggregating() {
        return timerId >= 0;
    }

    /** The newest snapshot this node has (built here when leading, else received from the leader). */
    public Optional<ClusterMetricsSnapshot> latest() {
        return Optional.ofNullable(latest.get());
    }

    /** The window of the snapshots this node built as leader (empty on a node that never led). */
    public MetricsHistory history() {
        return window;
    }

    public void addListener(Consumer<ClusterMetricsSnapshot> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<ClusterMetricsSnapshot> listener) {
        listeners.remove(listener);
    }

    /** Updates dropped: this node was not aggregating, or {@code maxNodes} nodes were already tracked. */
    public long droppedUpdates() {
        return droppedUpdates.get();
    }

    /** Metrics frames that failed to decode or came from the wrong node; each was dropped with a WARN line. */
    public long malformedFrames() {
        return malformedFrames.get();
    }

    /** This node's own update, or one received from another node. */
    void accept(MetricsUpdate update) {
        boolean taken;
        synchronized (this) {
            taken = aggregation != null && aggregation.accept(update, clock.millis());
        }
        if (!taken) {
            droppedUpdates.incrementAndGet();
            LOG.log(Level.DEBUG, "metrics aggregator {0}: dropped the update of node {1} for second {2} (not "
                    + "aggregating, or maxNodes reached)", nodeId, update.nodeId(), update.epochSecond());
        }
    }

    private void onUpdateFrame(String from, byte[] payload) {
        MetricsUpdate update;
        try {
            update = MetricsFrames.decodeUpdate(payload);
        } catch (MetricsCodecException e) {
            malformed(from, e.getMessage());
            return;
        }
        if (!update.nodeId().equals(from)) {
            malformed(from, "the update names node '" + update.nodeId() + "'");
            return;
        }
        accept(update);
    }

    private void onSnapshotFrame(String from, byte[] payload) {
        ClusterMetricsSnapshot snapshot;
        try {
            snapshot = MetricsFrames.decodeSnapshot(payload);
        } catch (MetricsCodecException e) {
            malformed(from, e.getMessage());
            return;
        }
        if (!leader.get().map(from::equals).orElse(false) || isAggregating()) {
            LOG.log(Level.DEBUG, "metrics aggregator {0}: ignored the snapshot of second {1} from {2}, which is "
                    + "not the leader", nodeId, snapshot.epochSecond(), from);
            return;
        }
        publish(snapshot);
    }

    private void malformed(String from, String why) {
        malformedFrames.incrementAndGet();
        LOG.log(Level.WARNING, "metrics aggregator {0}: dropped a metrics frame from node {1}: {2}", nodeId, from,
                why);
    }

    private void schedule() {
        long delay = 1_000 - Math.floorMod(clock.millis(), 1_000) + TICK_OFFSET_MS;
        timerId = vertx.setTimer(delay > 1_000 ? delay - 1_000 : delay, id -> tick());
    }

    private void tick() {
        ClusterMetricsSnapshot snapshot;
        Collection<String> live;
        synchronized (this) {
            if (timerId < 0) {
                return;
            }
            schedule();
            long now = clock.millis();
            live = List.copyOf(liveNodeIds.get());
            snapshot = aggregation.close(now / 1_000 - 1, now, live);
        }
        try {
            window.append(snapshot);
            publish(snapshot);
            broadcast(snapshot, live);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "metrics aggregator " + nodeId + ": second " + snapshot.epochSecond()
                    + " could not be published", e);
        }
    }

    private void broadcast(ClusterMetricsSnapshot snapshot, Collection<String> live) {
        byte[] frame = MetricsFrames.encode(snapshot);
        List<String> missed = new ArrayList<>();
        for (String node : live) {
            if (!node.equals(nodeId) && !sender.send(node, MetricsFrames.SNAPSHOT, frame)) {
                missed.add(node);
            }
        }
        if (!missed.isEmpty()) {
            LOG.log(Level.DEBUG, "metrics aggregator {0}: snapshot of second {1} not sent to {2} (not connected)",
                    nodeId, snapshot.epochSecond(), missed);
        }
    }

    private void publish(ClusterMetricsSnapshot snapshot) {
        latest.set(snapshot);
        for (Consumer<ClusterMetricsSnapshot> l : listeners) {
            try {
                l.accept(snapshot);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "metrics aggregator " + nodeId + ": a snapshot listener failed on second "
                        + snapshot.epochSecond(), e);
            }
        }
    }
}

package io.aether.core.deployment;

import io.aether.core.client.KvClient;
import io.aether.core.client.KvMirror;
import io.aether.core.cluster.ClusterEvent;
import io.aether.core.cluster.ClusterEventBus;
import io.aether.core.cluster.LeaderManager;
import io.aether.core.cluster.NodeRegistry;
import io.aether.core.endpoint.EndpointCodec;
import io.aether.core.endpoint.EndpointKeys;
import io.aether.core.kv.KeyValue;
import io.aether.core.kv.KvCommand;
import io.aether.core.kv.KvResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The leader's half of deployment (docs/deployment.md). While this node leads it mirrors {@code slices/} and
 * {@code endpoints/}, and on every change of those, of the blueprints or of membership, and every reconcile
 * interval, it runs {@link Reconciler#plan} and applies the actions as cas writes. One reconciliation runs at a
 * time on one thread; changes during it mark the state dirty and cause one more run after it. Stops on losing
 * leadership. Construct, then {@link #start()}; {@link #close()} stops it for good.
 */
public final class ClusterDeploymentManager implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ClusterDeploymentManager.class.getName());
    /** Actions applied per run; the rest follow in the next run (triggered at once). */
    static final int MAX_ACTIONS_PER_RUN = 256;

    private final KvClient kv;
    private final NodeRegistry registry;
    private final LeaderManager leader;
    private final ClusterEventBus bus;
    private final Blueprints blueprints;
    private final Allocator allocator;
    private final Duration reconcileInterval;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean queued = new AtomicBoolean();
    private ClusterEventBus.Subscription subscription;
    // The fields below are touched only on the executor thread.
    private KvMirror slices;
    private KvMirror endpoints;
    private ScheduledFuture<?> periodic;
    private boolean running;
    private boolean inFlight;
    private boolean dirty;
    private long runs;

    /**
     * @param reconcileInterval how often the leader reconciles without a change (default 5 s); FAILED retries are
     *                          noticed at this pace too
     */
    public ClusterDeploymentManager(KvClient kv, NodeRegistry registry, LeaderManager leader, ClusterEventBus bus,
                                    Blueprints blueprints, Allocator allocator, Duration reconcileInterval,
                                    Clock clock) {
        this.kv = kv;
        this.registry = registry;
        this.leader = leader;
        this.bus = bus;
        this.blueprints = blueprints;
        this.allocator = allocator;
        this.reconcileInterval = reconcileInterval;
        this.clock = clock;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aether-deploy-leader-" + registry.selfId());
            t.setDaemon(true);
            return t;
        });
    }

    /** Follows leadership: reconciles while this node leads (also at once, if it already leads). */
    public synchronized void start() {
        subscription = bus.subscribe(e -> onEvent(e.event()));
        executor.execute(this::followLeadership);
    }

    private void onEvent(ClusterEvent event) {
        if (event instanceof ClusterEvent.LeaderChanged || event instanceof ClusterEvent.Overflow) {
            submit(this::followLeadership);
        } else if (event instanceof ClusterEvent.BlueprintChanged || event instanceof ClusterEvent.NodeJoined
                || event instanceof ClusterEvent.NodeLeft || event instanceof ClusterEvent.NodeFailed
                || event instanceof ClusterEvent.NodeDraining) {
            trigger();
        }
    }

    private void followLeadership() {
        boolean lead = leader.isLeader();
        if (lead && !running) {
            LOG.log(System.Logger.Level.INFO, "node ''{0}'' leads: starting cluster deployment", registry.selfId());
            running = true;
            slices = KvMirror.start(kv, SliceKeys.PREFIX, changes -> trigger());
            endpoints = KvMirror.start(kv, EndpointKeys.PREFIX, changes -> trigger());
            periodic = executor.scheduleWithFixedDelay(this::reconcile, reconcileInterval.toMillis(),
                    reconcileInterval.toMillis(), TimeUnit.MILLISECONDS);
            CompletableFuture.allOf(slices.ready(), endpoints.ready()).thenRun(this::trigger);
        } else if (!lead && running) {
            LOG.log(System.Logger.Level.INFO, "node ''{0}'' no longer leads: stopping cluster deployment",
                    registry.selfId());
            stopRunning();
        }
    }

    private void stopRunning() {
        running = false;
        periodic.cancel(false);
        slices.close();
        endpoints.close();
        slices = null;
        endpoints = null;
    }

    /** Asks for a reconciliation soon (coalesced with one already queued or running). */
    void trigger() {
        if (queued.compareAndSet(false, true)) {
            submit(this::reconcile);
        }
    }

    /** Runs {@code task} on the executor; after {@link #close()} there is nothing left to run it for. */
    private void submit(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "cluster deployment manager closed; dropping a task");
        }
    }

    private void reconcile() {
        queued.set(false);
        if (!running || !slices.ready().isDone() || !endpoints.ready().isDone()) {
            return;
        }
        if (inFlight) {
            dirty = true;
            return;
        }
        dirty = false;
        if (!registry.viewIsFresh()) {
            // Deleting the keys of nodes that only look failed because our own view stalled would stop healthy
            // instances; the periodic run tries again.
            LOG.log(System.Logger.Level.WARNING, "leader ''{0}'': no nodes/ change seen for two heartbeats; not "
                    + "reconciling on a stale view", registry.selfId());
            return;
        }
        List<Action> actions = plan();
        if (actions.isEmpty()) {
            return;
        }
        runs++;
        List<Action> batch = actions.size() > MAX_ACTIONS_PER_RUN ? actions.subList(0, MAX_ACTIONS_PER_RUN) : actions;
        boolean more = batch.size() < actions.size();
        inFlight = true;
        long run = runs;
        CompletableFuture<?>[] writes = batch.stream().map(a -> apply(run, a)).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(writes).whenComplete((v, e) -> submit(() -> {
            inFlight = false;
            if (dirty || more) {
                reconcile();
            }
        }));
    }

    private List<Action> plan() {
        List<Reconciler.Actual> actual = new ArrayList<>();
        for (KeyValue kvp : slices.snapshot().values()) {
            try {
                actual.add(new Reconciler.Actual(SliceKeys.parse(kvp.key()),
                        SliceAssignmentCodec.decode(kvp.key(), kvp.value()), kvp.modRevision()));
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "leaving an unreadable slices key alone: {0}", e.getMessage());
            }
        }
        List<Reconciler.Endpoint> eps = new ArrayList<>();
        for (KeyValue kvp : endpoints.snapshot().values()) {
            try {
                eps.add(new Reconciler.Endpoint(kvp.key(), EndpointCodec.decode(kvp.key(), kvp.value()).nodeId(),
                        kvp.modRevision()));
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "leaving an unreadable endpoints key alone: {0}", e.getMessage());
            }
        }
        return Reconciler.plan(Reconciler.desired(blueprints.all().values()), actual, eps, registry.liveNodes(),
                clock.instant(), allocator);
    }

    private CompletableFuture<Void> apply(long run, Action action) {
        Optional<byte[]> value = action instanceof Action.Put put
                ? Optional.of(SliceAssignmentCodec.encode(put.value()))
                : Optional.empty();
        return kv.execute(new KvCommand.Cas(action.key(), action.expectedModRevision(), value))
                .handle((result, error) -> {
                    if (error != null) {
                        LOG.log(System.Logger.Level.WARNING, "reconcile run {0}: {1} failed: {2}", run,
                                describe(action), error.toString());
                    } else if (result instanceof KvResult.CasFailed) {
                        // Someone wrote the key since the plan read it; the mirror brings the news and a new run.
                        LOG.log(System.Logger.Level.DEBUG, "reconcile run {0}: {1} lost its cas", run,
                                describe(action));
                    } else {
                        LOG.log(System.Logger.Level.DEBUG, "reconcile run {0}: {1}", run, describe(action));
                    }
                    return null;
                });
    }

    private static String describe(Action a) {
        if (a instanceof Action.Put put) {
            return put.value().state() + " x" + put.value().instances() + " to '" + a.key() + "' (" + a.why() + ")";
        }
        return "delete '" + a.key() + "' (" + a.why() + ")";
    }

    /** Whether this node currently runs the leader's reconciliation. */
    public boolean isRunning() {
        try {
            return executor.submit(() -> running).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cluster deployment manager did not answer within 5 s", e);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (subscription != null) {
                subscription.close();
            }
        }
        try {
            executor.submit(() -> {
                if (running) {
                    stopRunning();
                }
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "cluster deployment manager did not stop within 5 s: {0}",
                    e.toString());
        }
        executor.shutdownNow();
    }
}

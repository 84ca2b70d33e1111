package io.aether.core.deployment;

import io.aether.core.client.KvClient;
import io.aether.core.client.KvMirror;
import io.aether.core.cluster.ClusterEventBus;
import io.aether.core.endpoint.EndpointCodec;
import io.aether.core.endpoint.EndpointKeys;
import io.aether.core.invoke.LocalInstances;
import io.aether.core.kv.KeyValue;
import io.aether.core.kv.KvCommand;
import io.aether.core.kv.KvResult;
import io.aether.core.slice.SliceStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every node's half of deployment (docs/deployment.md): watches {@code slices/{self}/}, drives the {@link SliceStore}
 * to what each key commands, registers instances in {@link LocalInstances}, publishes and withdraws their
 * {@code endpoints/} keys and writes progress with cas. One artifact's steps never interleave; different artifacts
 * progress concurrently. At start it withdraws endpoints this node left behind and re-drives every key (after a
 * restart nothing is loaded, whatever the keys say). Construct, {@link #start()}, and {@link #close()} at shutdown.
 */
public final class NodeDeploymentManager implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NodeDeploymentManager.class.getName());
    private static final int PAGE = 1000;
    /** How long {@link #close} waits for every local slice to be torn down. */
    private static final long CLOSE_WAIT_MS = 30_000;

    /** What drivers share. */
    record Context(KvClient kv, String nodeId, SliceStore store, LocalInstances local, ClusterEventBus bus,
                   Clock clock, AtomicLong instances, Map<String, SliceDriver> drivers) {
        long nextInstance() {
            return instances.getAndIncrement();
        }

        void retire(String key, SliceDriver driver) {
            drivers.remove(key, driver);
        }
    }

    private final Context ctx;
    private final Duration retryInterval;
    private final ScheduledExecutorService ticker;
    private KvMirror mirror;

    /**
     * @param retryInterval how soon a drive that hit a KV error is tried again (default 2 s)
     */
    public NodeDeploymentManager(KvClient kv, String nodeId, SliceStore store, LocalInstances local,
                                 ClusterEventBus bus, Clock clock, Duration retryInterval) {
        this.ctx = new Context(kv, nodeId, store, local, bus, clock, new AtomicLong(),
                new ConcurrentHashMap<>());
        this.retryInterval = retryInterval;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aether-deploy-node-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Withdraws stale endpoints of this node, then follows its {@code slices/} keys; completes when both began. */
    public CompletableFuture<Void> start() {
        return withdrawStaleEndpoints("").thenCompose(n -> {
            if (n > 0) {
                LOG.log(System.Logger.Level.INFO, "node ''{0}'' withdrew {1} endpoints left from before its start",
                        ctx.nodeId(), n);
            }
            synchronized (this) {
                mirror = KvMirror.start(ctx.kv(), SliceKeys.nodePrefix(ctx.nodeId()), this::onChanges);
            }
            ticker.scheduleWithFixedDelay(() -> ctx.drivers().values().forEach(SliceDriver::retryIfPending),
                    retryInterval.toMillis(), retryInterval.toMillis(), TimeUnit.MILLISECONDS);
            return mirror.ready();
        });
    }

    private CompletableFuture<Integer> withdrawStaleEndpoints(String after) {
        return ctx.kv().execute(new KvCommand.Range(EndpointKeys.PREFIX, after, PAGE)).thenCompose(result -> {
            if (!(result instanceof KvResult.RangeResult range)) {
                throw new IllegalStateException("range '" + EndpointKeys.PREFIX + "' answered " + result);
            }
            List<CompletableFuture<?>> deletes = new ArrayList<>();
            for (KeyValue kv : range.kvs()) {
                try {
                    if (EndpointCodec.decode(kv.key(), kv.value()).nodeId().equals(ctx.nodeId())) {
                        deletes.add(ctx.kv().execute(new KvCommand.Cas(kv.key(), kv.modRevision(),
                                Optional.empty())));
                    }
                } catch (IllegalArgumentException e) {
                    LOG.log(System.Logger.Level.WARNING, "skipping unreadable endpoint key: {0}", e.getMessage());
                }
            }
            CompletableFuture<Integer> rest = range.more() && !range.kvs().isEmpty()
                    ? withdrawStaleEndpoints(range.kvs().get(range.kvs().size() - 1).key())
                    : CompletableFuture.completedFuture(0);
            return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new))
                    .thenCombine(rest, (v, n) -> n + deletes.size());
        });
    }

    private void onChanges(List<KvMirror.Change> changes) {
        for (KvMirror.Change c : changes) {
            SliceKeys.Key key;
            try {
                key = SliceKeys.parse(c.key());
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "node ''{0}'': ignoring key {1}", ctx.nodeId(), e.getMessage());
                continue;
            }
            KeyValue value = c.after().orElse(null);
            // A deletion's revision is above the deleted value's: the tombstone is not in the mirror, so the
            // driver only needs an order, and the old value's mod revision + 1 gives it.
            long revision = value != null ? value.modRevision() : c.before().map(KeyValue::modRevision).orElse(0L) + 1;
            while (!ctx.drivers().computeIfAbsent(c.key(), k -> new SliceDriver(ctx, k, key.artifact()))
                    .observe(value, revision)) {
                ctx.drivers().remove(c.key());
            }
        }
    }

    /**
     * Stops following the keys, then withdraws the endpoints of, deactivates and unloads every local slice (waits
     * up to 30 s). Blocks: do not call on a Vert.x event loop.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (mirror != null) {
                mirror.close();
            }
        }
        ticker.shutdownNow();
        List<CompletableFuture<Void>> teardowns = new ArrayList<>();
        ctx.drivers().values().forEach(d -> teardowns.add(d.shutdown()));
        try {
            CompletableFuture.allOf(teardowns.toArray(CompletableFuture[]::new))
                    .get(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.log(System.Logger.Level.WARNING, "node ''{0}'': interrupted tearing down slices", ctx.nodeId());
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "node ''{0}'': slices not torn down within {1} ms: {2}",
                    ctx.nodeId(), CLOSE_WAIT_MS, e.toString());
        }
    }
}

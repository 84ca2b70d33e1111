package io.aether.core.endpoint;

import io.aether.core.client.KvClient;
import io.aether.core.kv.CompactedException;
import io.aether.core.kv.KeyValue;
import io.aether.core.kv.KvCommand;
import io.aether.core.kv.KvResult;
import io.aether.core.kv.Watch;
import io.aether.core.kv.WatchEvent;
import io.aether.core.kv.WatchListener;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Every endpoint of the cluster, by artifact (versioned and versionless) and entry point: a copy of the
 * {@code endpoints/} keys kept current by a KV watch. Reads are lock-free lookups in an immutable index that each
 * change replaces as a whole. Endpoints of nodes the liveness predicate calls dead are left out at read time, so a
 * failed node stops receiving calls at once, before the leader deletes its keys.
 *
 * <p>The registry reads the prefix with a range, then watches from the range's revision + 1 (the watch resumes
 * across KV reconnects by itself). When the watch ends (compaction or a refusing node), it reads the prefix
 * afresh and watches again, retrying with backoff until closed.
 */
public final class EndpointRegistry implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EndpointRegistry.class.getName());
    private static final int PAGE = 1_000;
    private static final long RETRY_INITIAL_MS = 100;
    private static final long RETRY_MAX_MS = 5_000;

    private final KvClient kv;
    private final Predicate<String> nodeLive;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    /** The endpoint keys as last seen, by key; owned by whoever holds the monitor. */
    private final TreeMap<String, EndpointRecord> records = new TreeMap<>();
    private volatile Index index = Index.EMPTY;
    private long generation;
    private Watch watch;
    private boolean closed;
    private long retryDelayMs = RETRY_INITIAL_MS;

    /** The records grouped for lookup; replaced as a whole on every change. */
    private record Index(long revision, Map<String, List<EndpointRecord>> byArtifactEntry,
            List<EndpointRecord> all) {
        static final Index EMPTY = new Index(0, Map.of(), List.of());
    }

    private EndpointRegistry(KvClient kv, Predicate<String> nodeLive) {
        this.kv = kv;
        this.nodeLive = nodeLive;
    }

    /**
     * Starts a registry; the future completes once the first read of {@code endpoints/} is in the index, or fails
     * when that read fails (later failures are retried in the background).
     *
     * @param nodeLive whether a node id is live right now; called on every lookup, so it must be cheap
     */
    public static CompletableFuture<EndpointRegistry> start(KvClient kv, Predicate<String> nodeLive) {
        EndpointRegistry registry = new EndpointRegistry(kv, nodeLive);
        return registry.sync().thenApply(v -> registry);
    }

    /**
     * The ACTIVE endpoints on live nodes of {@code artifact} ({@code group:artifact} for every version, or
     * {@code group:artifact:version}) and {@code entryPoint}, sorted by instance id.
     */
    public List<EndpointRecord> endpoints(String artifact, String entryPoint) {
        List<EndpointRecord> found = index.byArtifactEntry().getOrDefault(lookupKey(artifact, entryPoint), List.of());
        List<EndpointRecord> live = new ArrayList<>(found.size());
        for (EndpointRecord r : found) {
            if ("ACTIVE".equals(r.state()) && nodeLive.test(r.nodeId())) {
                live.add(r);
            }
        }
        return live;
    }

    /** Every endpoint on a live node, whatever its state, sorted by key. */
    public List<EndpointRecord> all() {
        return index.all().stream().filter(r -> nodeLive.test(r.nodeId())).toList();
    }

    /** The KV revision the index reflects. */
    public long revision() {
        return index.revision();
    }

    /**
     * Calls {@code listener} after every change of the index, on the KV client's thread: it must be quick and must
     * not block.
     */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    /** Stops watching. Idempotent. */
    @Override
    public void close() {
        Watch current;
        synchronized (this) {
            closed = true;
            generation++;
            current = watch;
            watch = null;
        }
        if (current != null) {
            current.cancel();
        }
    }

    private static String lookupKey(String artifact, String entryPoint) {
        return artifact + "/" + entryPoint;
    }

    /** Reads the prefix afresh, replaces the index with it, and watches from there. */
    private CompletableFuture<Void> sync() {
        long gen;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            gen = ++generation;
        }
        List<KeyValue> read = new ArrayList<>();
        return readPage("", read, 0).thenAccept(revision -> {
            synchronized (this) {
                if (gen != generation) {
                    return;
                }
                records.clear();
                for (KeyValue kv : read) {
                    put(kv);
                }
                publish(revision);
                retryDelayMs = RETRY_INITIAL_MS;
            }
            // Outside the monitor: the KV client delivers watch events holding its own lock.
            Watch started = kv.watch(EndpointKeys.PREFIX, revision + 1, new Listener(gen));
            boolean current;
            synchronized (this) {
                current = gen == generation;
                if (current) {
                    watch = started;
                }
            }
            if (!current) {
                started.cancel();
                return;
            }
            notifyListeners();
        });
    }

    /**
     * Pages through the prefix; completes with the first page's revision. Later pages may be newer: the watch
     * starts after the first page, so it replays those changes too, and replaying a put or delete is harmless.
     */
    private CompletableFuture<Long> readPage(String after, List<KeyValue> into, long firstRevision) {
        return kv.execute(new KvCommand.Range(EndpointKeys.PREFIX, after, PAGE)).thenCompose(result -> {
            if (!(result instanceof KvResult.RangeResult range)) {
                throw new IllegalStateException("endpoint registry: range '" + EndpointKeys.PREFIX + "' after '"
                        + after + "' answered " + result);
            }
            into.addAll(range.kvs());
            long revision = firstRevision == 0 ? range.revision() : firstRevision;
            if (range.more() && !range.kvs().isEmpty()) {
                return readPage(range.kvs().get(range.kvs().size() - 1).key(), into, revision);
            }
            return CompletableFuture.completedFuture(revision);
        });
    }

    private void put(KeyValue kv) {
        try {
            records.put(kv.key(), EndpointCodec.decode(kv.key(), kv.value()));
        } catch (IllegalArgumentException e) {
            records.remove(kv.key());
            LOG.log(Level.WARNING, "endpoint registry: skipping {0}: {1}", kv.key(), e.getMessage());
        }
    }

    private void publish(long revision) {
        Map<String, List<EndpointRecord>> grouped = new HashMap<>();
        for (EndpointRecord r : records.values()) {
            grouped.computeIfAbsent(lookupKey(r.artifact().toString(), r.entryPoint()), k -> new ArrayList<>()).add(r);
            grouped.computeIfAbsent(lookupKey(r.artifact().versionless(), r.entryPoint()), k -> new ArrayList<>())
                    .add(r);
        }
        Map<String, List<EndpointRecord>> frozen = new HashMap<>(grouped.size() * 2);
        grouped.forEach((k, v) -> {
            v.sort((a, b) -> a.instanceId().compareTo(b.instanceId()));
            frozen.put(k, List.copyOf(v));
        });
        index = new Index(revision, Map.copyOf(frozen), List.copyOf(records.values()));
    }

    private void notifyListeners() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "endpoint registry: a change listener threw", e);
            }
        }
    }

    private void resyncLater(String why) {
        long delayMs;
        synchronized (this) {
            if (closed) {
                return;
            }
            delayMs = retryDelayMs;
            retryDelayMs = Math.min(RETRY_MAX_MS, retryDelayMs * 2);
        }
        LOG.log(Level.WARNING, "endpoint registry: {0}; reading {1} afresh in {2} ms", why, EndpointKeys.PREFIX,
                delayMs);
        CompletableFuture.runAsync(() -> sync().whenComplete((v, e) -> {
            if (e != null) {
                resyncLater("reading " + EndpointKeys.PREFIX + " failed: " + e.getMessage());
            }
        }), CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS));
    }

    /** Applies one watch's revisions while its generation is current. */
    private final class Listener implements WatchListener {
        private final long gen;

        Listener(long gen) {
            this.gen = gen;
        }

        @Override
        public void onRevision(long revision, List<WatchEvent> events) {
            synchronized (EndpointRegistry.this) {
                if (gen != generation) {
                    return;
                }
                for (WatchEvent event : events) {
                    if (event.type() == WatchEvent.Type.PUT) {
                        put(event.kv());
                    } else {
                        records.remove(event.kv().key());
                    }
                }
                publish(revision);
            }
            notifyListeners();
        }

        @Override
        public void onCancelled(RuntimeException cause) {
            synchronized (EndpointRegistry.this) {
                if (gen != generation) {
                    return;
                }
                watch = null;
            }
            String why = cause instanceof CompactedException
                    ? "the watch fell behind compaction (" + cause.getMessage() + ")"
                    : "the watch ended: " + cause;
            resyncLater(why);
        }
    }
}

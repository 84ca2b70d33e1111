package io.aether.core.endpoint;

import io.aether.core.client.KvClient;
import io.aether.core.client.KvMirror;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Every endpoint of the cluster, by artifact (versioned and versionless) and entry point: a copy of the
 * {@code endpoints/} keys kept current by a {@link KvMirror} (paged range, then a watch; read afresh with backoff
 * when the watch falls behind compaction or a read fails). Reads are lock-free lookups in an immutable index that
 * each change replaces as a whole. Endpoints of nodes the liveness predicate calls dead are left out at read time,
 * so a failed node stops receiving calls at once, before the leader deletes its keys.
 */
public final class EndpointRegistry implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EndpointRegistry.class.getName());

    private final Predicate<String> nodeLive;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    /** The readable endpoint keys by key; only the mirror's listener touches it, one batch at a time. */
    private final TreeMap<String, EndpointRecord> records = new TreeMap<>();
    private volatile Index index = Index.EMPTY;
    private final KvMirror mirror;

    /** The records grouped for lookup; replaced as a whole on every change. */
    private record Index(Map<String, List<EndpointRecord>> byArtifactEntry, List<EndpointRecord> all) {
        static final Index EMPTY = new Index(Map.of(), List.of());
    }

    private EndpointRegistry(KvClient kv, Predicate<String> nodeLive) {
        this.nodeLive = nodeLive;
        this.mirror = KvMirror.start(kv, EndpointKeys.PREFIX, this::onChanges);
    }

    /**
     * Starts a registry; the future completes once the first read of {@code endpoints/} is in the index. A failed
     * read is retried with backoff in the background, so the future waits for the KV rather than failing.
     *
     * @param nodeLive whether a node id is live right now; called on every lookup, so it must be cheap
     */
    public static CompletableFuture<EndpointRegistry> start(KvClient kv, Predicate<String> nodeLive) {
        EndpointRegistry registry = new EndpointRegistry(kv, nodeLive);
        return registry.mirror.ready().thenApply(v -> registry);
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

    /** The KV revision the index reflects: every change up to it is in. */
    public long revision() {
        return mirror.revision();
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
        mirror.close();
    }

    private static String lookupKey(String artifact, String entryPoint) {
        return artifact + "/" + entryPoint;
    }

    private void onChanges(List<KvMirror.Change> changes) {
        for (KvMirror.Change c : changes) {
            if (c.after().isEmpty()) {
                records.remove(c.key());
                continue;
            }
            try {
                records.put(c.key(), EndpointCodec.decode(c.key(), c.after().get().value()));
            } catch (IllegalArgumentException e) {
                records.remove(c.key());
                LOG.log(Level.WARNING, "endpoint registry: skipping {0}: {1}", c.key(), e.getMessage());
            }
        }
        publish();
        notifyListeners();
    }

    private void publish() {
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
        index = new Index(Map.copyOf(frozen), List.copyOf(records.values()));
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
}

package io.aether.core.cluster;

import io.aether.core.client.KvClient;
import io.aether.core.kv.KeyValue;
import io.aether.core.kv.KvCommand;
import io.aether.core.kv.KvResult;
import io.aether.core.kv.Watch;
import io.aether.core.kv.WatchEvent;
import io.aether.core.kv.WatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A local copy of every key under a prefix: a linearizable range (paged), then a watch from the range's
 * revision + 1, so no change is missed or applied twice out of order. When the watch ends (its revision was
 * compacted, or a node refused it) the mirror reads the range again and reports the difference. The listener sees
 * each batch of changes after the copy includes them, one batch at a time, on a KV client thread: be fast.
 */
public final class KvMirror implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KvMirror.class.getName());
    private static final int PAGE = 1000;
    private static final long RETRY_MS = 1000;

    /** One key's change; both sides empty never happens. */
    public record Change(String key, Optional<KeyValue> before, Optional<KeyValue> after) {
    }

    /** Receives the changes of one revision, or of a (re)load. */
    @FunctionalInterface
    public interface Listener {
        void onChanges(List<Change> changes);
    }

    private final KvClient kv;
    private final String prefix;
    private final Listener listener;
    private final TreeMap<String, KeyValue> keys = new TreeMap<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private Watch watch;
    private boolean closed;

    private KvMirror(KvClient kv, String prefix, Listener listener) {
        this.kv = kv;
        this.prefix = prefix;
        this.listener = listener;
    }

    /** Starts loading; {@link #ready()} completes once the first range is in. */
    public static KvMirror start(KvClient kv, String prefix, Listener listener) {
        KvMirror mirror = new KvMirror(kv, prefix, listener);
        mirror.load();
        return mirror;
    }

    /** Completes when the first full range has been applied. */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    /** A copy of the mirrored keys, in key order. */
    public synchronized Map<String, KeyValue> snapshot() {
        return new TreeMap<>(keys);
    }

    public synchronized Optional<KeyValue> get(String key) {
        return Optional.ofNullable(keys.get(key));
    }

    private void load() {
        readPages("", new ArrayList<>(), 0).whenComplete((loaded, error) -> {
            if (error != null) {
                LOG.log(System.Logger.Level.WARNING, "mirror of ''{0}'': range failed, retrying in {1} ms: {2}",
                        prefix, RETRY_MS, error.toString());
                CompletableFuture.delayedExecutor(RETRY_MS, TimeUnit.MILLISECONDS).execute(this::load);
                return;
            }
            onLoaded(loaded.kvs(), loaded.revision());
        });
    }

    private record Loaded(List<KeyValue> kvs, long revision) {
    }

    private CompletableFuture<Loaded> readPages(String after, List<KeyValue> acc, long firstRevision) {
        synchronized (this) {
            if (closed) {
                return new CompletableFuture<>(); // never completes: nothing more to do
            }
        }
        return kv.execute(new KvCommand.Range(prefix, after, PAGE)).thenCompose(result -> {
            if (!(result instanceof KvResult.RangeResult range)) {
                throw new IllegalStateException("range '" + prefix + "' answered " + result);
            }
            acc.addAll(range.kvs());
            // Watch from the first page's revision: later pages may already hold newer values, and replaying
            // a change onto a newer copy converges to the same end state.
            long revision = firstRevision == 0 ? range.revision() : firstRevision;
            if (range.more() && !range.kvs().isEmpty()) {
                return readPages(range.kvs().get(range.kvs().size() - 1).key(), acc, revision);
            }
            return CompletableFuture.completedFuture(new Loaded(acc, revision));
        });
    }

    private void onLoaded(List<KeyValue> loaded, long revision) {
        List<Change> changes = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            TreeMap<String, KeyValue> fresh = new TreeMap<>();
            for (KeyValue k : loaded) {
                fresh.put(k.key(), k);
            }
            for (KeyValue old : keys.values()) {
                if (!fresh.containsKey(old.key())) {
                    changes.add(new Change(old.key(), Optional.of(old), Optional.empty()));
                }
            }
            for (KeyValue k : fresh.values()) {
                KeyValue old = keys.get(k.key());
                if (old == null || old.modRevision() != k.modRevision()) {
                    changes.add(new Change(k.key(), Optional.ofNullable(old), Optional.of(k)));
                }
            }
            keys.clear();
            keys.putAll(fresh);
            watch = kv.watch(prefix, revision + 1, new WatchListener() {
                @Override
                public void onRevision(long rev, List<WatchEvent> events) {
                    applyEvents(events);
                }

                @Override
                public void onCancelled(RuntimeException cause) {
                    LOG.log(System.Logger.Level.INFO, "mirror of ''{0}'': watch ended ({1}); reloading", prefix,
                            cause.toString());
                    load();
                }
            });
            deliver(changes);
        }
        ready.complete(null);
    }

    private synchronized void applyEvents(List<WatchEvent> events) {
        if (closed) {
            return;
        }
        List<Change> changes = new ArrayList<>(events.size());
        for (WatchEvent e : events) {
            String key = e.kv().key();
            KeyValue old;
            if (e.type() == WatchEvent.Type.PUT) {
                KeyValue current = keys.get(key);
                if (current != null && current.modRevision() >= e.kv().modRevision()) {
                    continue; // a later page of the initial range already held this or a newer value
                }
                old = keys.put(key, e.kv());
                changes.add(new Change(key, Optional.ofNullable(old), Optional.of(e.kv())));
            } else {
                KeyValue current = keys.get(key);
                if (current != null && current.modRevision() > e.kv().modRevision()) {
                    continue; // deleted and written again; a later page of the initial range holds the new value
                }
                old = keys.remove(key);
                if (old != null) {
                    changes.add(new Change(key, Optional.of(old), Optional.empty()));
                }
            }
        }
        deliver(changes);
    }

    /** Called with the lock held, so batches reach the listener in order. */
    private void deliver(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        try {
            listener.onChanges(changes);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "mirror of '" + prefix + "': listener threw on " + changes.size()
                    + " changes", e);
        }
    }

    @Override
    public void close() {
        Watch w;
        synchronized (this) {
            closed = true;
            w = watch;
        }
        if (w != null) {
            w.cancel();
        }
    }
}

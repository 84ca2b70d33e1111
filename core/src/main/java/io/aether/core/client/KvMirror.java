package io.aether.core.client;

import io.aether.core.kv.CompactedException;
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
 * A local copy of every key under a prefix, kept current: a linearizable range (paged), then a watch from the
 * range's revision + 1, so no change is missed or applied twice out of order (the watch itself resumes across
 * reconnects and fail-over). When the watch ends (its revision was compacted, or a node refused it) or a range
 * fails, the mirror reads the prefix again after a backoff (100 ms doubling to 5 s, reset by a successful read)
 * and reports the difference, until closed.
 *
 * <p>The listener sees each batch of changes after the copy includes them, one batch at a time and in order, on a
 * KV client thread while the mirror's lock is held: it must be quick, must not block and must not wait for another
 * thread that calls this mirror.
 */
public final class KvMirror implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KvMirror.class.getName());
    private static final int PAGE = 1_000;
    private static final long RETRY_INITIAL_MS = 100;
    private static final long RETRY_MAX_MS = 5_000;

    /** One key's change; both sides empty never happens. */
    public record Change(String key, Optional<KeyValue> before, Optional<KeyValue> after) {
    }

    /** Receives the changes of one revision, or of a (re)load. Never called with an empty list. */
    @FunctionalInterface
    public interface Listener {
        void onChanges(List<Change> changes);
    }

    private final KvClient kv;
    private final String prefix;
    private final int pageSize;
    private final Listener listener;
    private final TreeMap<String, KeyValue> keys = new TreeMap<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile long revision;
    private Watch watch;
    private boolean closed;
    private long retryDelayMs = RETRY_INITIAL_MS;

    private KvMirror(KvClient kv, String prefix, int pageSize, Listener listener) {
        this.kv = kv;
        this.prefix = prefix;
        this.pageSize = pageSize;
        this.listener = listener;
    }

    /** Starts loading {@code prefix}; {@link #ready()} completes once the first range is in. */
    public static KvMirror start(KvClient kv, String prefix, Listener listener) {
        return start(kv, prefix, PAGE, listener);
    }

    /** As {@link #start(KvClient, String, Listener)}, reading the range {@code pageSize} keys at a time. */
    static KvMirror start(KvClient kv, String prefix, int pageSize, Listener listener) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("mirror of '" + prefix + "': page size " + pageSize + " is below 1");
        }
        KvMirror mirror = new KvMirror(kv, prefix, pageSize, listener);
        mirror.load();
        return mirror;
    }

    /**
     * Completes when the first full range has been applied (and delivered). It never fails: a failed read is
     * retried until the mirror is closed.
     */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    /** A copy of the mirrored keys, in key order. */
    public synchronized Map<String, KeyValue> snapshot() {
        return new TreeMap<>(keys);
    }

    /** The mirrored value of {@code key}, if the copy holds it. */
    public synchronized Optional<KeyValue> get(String key) {
        return Optional.ofNullable(keys.get(key));
    }

    /**
     * The KV revision the copy reflects: every change up to it has been applied and delivered to the listener.
     * 0 before the first range is in.
     */
    public long revision() {
        return revision;
    }

    private void load() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        readPages("", new ArrayList<>(), 0).whenComplete((loaded, error) -> {
            if (error != null) {
                reloadLater("the range failed: " + error);
            } else {
                onLoaded(loaded.kvs(), loaded.revision());
            }
        });
    }

    private void reloadLater(String why) {
        long delayMs;
        synchronized (this) {
            if (closed) {
                return;
            }
            delayMs = retryDelayMs;
            retryDelayMs = Math.min(RETRY_MAX_MS, retryDelayMs * 2);
        }
        LOG.log(System.Logger.Level.WARNING, "mirror of ''{0}'': {1}; reading it afresh in {2} ms", prefix, why,
                delayMs);
        CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS).execute(this::load);
    }

    private record Loaded(List<KeyValue> kvs, long revision) {
    }

    /**
     * Pages through the prefix; completes with the first page's revision. Later pages may already hold newer
     * values: the watch starts after the first page, so it replays those changes too, and {@link #applyEvents}
     * skips what the copy already holds.
     */
    private CompletableFuture<Loaded> readPages(String after, List<KeyValue> acc, long firstRevision) {
        return kv.execute(new KvCommand.Range(prefix, after, pageSize)).thenCompose(result -> {
            if (!(result instanceof KvResult.RangeResult range)) {
                throw new IllegalStateException("mirror of '" + prefix + "': range after '" + after + "' answered "
                        + result);
            }
            acc.addAll(range.kvs());
            long rev = firstRevision == 0 ? range.revision() : firstRevision;
            if (range.more() && !range.kvs().isEmpty()) {
                return readPages(range.kvs().get(range.kvs().size() - 1).key(), acc, rev);
            }
            return CompletableFuture.completedFuture(new Loaded(acc, rev));
        });
    }

    private void onLoaded(List<KeyValue> loaded, long loadedRevision) {
        synchronized (this) {
            if (closed) {
                return;
            }
            TreeMap<String, KeyValue> fresh = new TreeMap<>();
            for (KeyValue k : loaded) {
                fresh.put(k.key(), k);
            }
            List<Change> changes = new ArrayList<>();
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
            retryDelayMs = RETRY_INITIAL_MS;
            // Safe under our lock: the KV client delivers watch callbacks without holding its own lock.
            watch = kv.watch(prefix, loadedRevision + 1, new WatchListener() {
                @Override
                public void onRevision(long rev, List<WatchEvent> events) {
                    applyEvents(rev, events);
                }

                @Override
                public void onCancelled(RuntimeException cause) {
                    reloadLater(cause instanceof CompactedException
                            ? "the watch fell behind compaction (" + cause.getMessage() + ")"
                            : "the watch ended: " + cause);
                }
            });
            deliver(changes, loadedRevision);
        }
        ready.complete(null);
    }

    private synchronized void applyEvents(long rev, List<WatchEvent> events) {
        if (closed) {
            return;
        }
        List<Change> changes = new ArrayList<>(events.size());
        for (WatchEvent e : events) {
            String key = e.kv().key();
            KeyValue current = keys.get(key);
            if (e.type() == WatchEvent.Type.PUT) {
                if (current != null && current.modRevision() >= e.kv().modRevision()) {
                    continue; // a later page of the initial range already held this or a newer value
                }
                keys.put(key, e.kv());
                changes.add(new Change(key, Optional.ofNullable(current), Optional.of(e.kv())));
            } else {
                if (current == null || current.modRevision() > e.kv().modRevision()) {
                    continue; // gone already, or deleted and written again: a later page holds the new value
                }
                keys.remove(key);
                changes.add(new Change(key, Optional.of(current), Optional.empty()));
            }
        }
        deliver(changes, rev);
    }

    /** Called with the lock held, so batches reach the listener in order. */
    private void deliver(List<Change> changes, long rev) {
        if (!changes.isEmpty()) {
            try {
                listener.onChanges(changes);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "mirror of '" + prefix + "': listener threw on "
                        + changes.size() + " changes", e);
            }
        }
        revision = rev;
    }

    /** Stops watching; no change is delivered after it returns. Idempotent. */
    @Override
    public void close() {
        Watch w;
        synchronized (this) {
            closed = true;
            w = watch;
            watch = null;
        }
        if (w != null) {
            w.cancel();
        }
    }
}

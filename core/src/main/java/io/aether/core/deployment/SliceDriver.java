package io.aether.core.deployment;

import io.aether.core.cluster.ClusterEvent;
import io.aether.core.endpoint.EndpointCodec;
import io.aether.core.endpoint.EndpointKeys;
import io.aether.core.endpoint.EndpointRecord;
import io.aether.core.kv.KeyValue;
import io.aether.core.kv.KvCommand;
import io.aether.core.kv.KvResult;
import io.aether.core.slice.Artifact;
import io.aether.core.slice.LoadedSlice;
import io.aether.core.slice.SliceFailure;
import io.aether.core.slice.SliceInstance;
import io.aether.core.slice.SliceState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Drives one {@code slices/{node}/{artifact}} key on its node: converges the local slice (loaded or not, how many
 * instances, with which config) to what the key says and writes the progress. Work is serial per key: each drive
 * chains on the previous one, and at most one more is queued. A drive handles the newest value seen when it starts;
 * values up to the revisions this driver wrote itself are not driven again.
 */
final class SliceDriver {

    private static final System.Logger LOG = System.getLogger(SliceDriver.class.getName());

    /** What the local slice should be. */
    private record Target(boolean loaded, int instances, Map<String, String> config) {
        static final Target NOTHING = new Target(false, 0, Map.of());
    }

    private final NodeDeploymentManager.Context ctx;
    private final String key;
    private final Artifact artifact;

    // Guarded by this.
    private KeyValue latest;
    private long latestRevision;
    private long handledRevision;
    /** The newest revision this driver wrote: values up to it are its own progress, or older than it. */
    private long writtenRevision;
    private boolean scheduled;
    private boolean retryPending;
    private boolean retired;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    // Touched only by the drive in progress (drives are serial).
    private LoadedSlice loaded;
    private final List<SliceInstance> running = new ArrayList<>();
    private Map<String, String> runningConfig = Map.of();

    SliceDriver(NodeDeploymentManager.Context ctx, String key, Artifact artifact) {
        this.ctx = ctx;
        this.key = key;
        this.artifact = artifact;
    }

    /** A new value ({@code null}: deleted) at {@code revision}; false when this driver retired (use a new one). */
    boolean observe(KeyValue value, long revision) {
        synchronized (this) {
            if (retired) {
                return false;
            }
            if (revision > latestRevision) {
                latest = value;
                latestRevision = revision;
            }
        }
        kick();
        return true;
    }

    /** Drives again after a KV error (the manager's retry tick calls this). */
    void retryIfPending() {
        synchronized (this) {
            if (!retryPending) {
                return;
            }
            retryPending = false;
            handledRevision = -1;
            // The failed drive may have stopped after writing progress; drive that progress to its end.
            writtenRevision = 0;
        }
        kick();
    }

    private synchronized void kick() {
        if (retired || scheduled || retryPending || latestRevision <= handledRevision) {
            return;
        }
        scheduled = true;
        tail = tail.thenCompose(v -> {
            KeyValue value;
            synchronized (this) {
                scheduled = false;
                value = latest;
                handledRevision = Math.max(handledRevision, latestRevision);
            }
            return drive(value).exceptionally(this::onDriveError);
        });
    }

    private Void onDriveError(Throwable error) {
        Throwable cause = unwrap(error);
        LOG.log(System.Logger.Level.WARNING, "node '" + ctx.nodeId() + "': driving '" + key
                + "' failed; retrying on the next tick", cause);
        synchronized (this) {
            retryPending = true;
        }
        return null;
    }

    /** Tears the local slice down and retires; completes when done. */
    synchronized CompletableFuture<Void> shutdown() {
        retired = true;
        tail = tail.thenCompose(v -> converge(Target.NOTHING)).exceptionally(e -> {
            LOG.log(System.Logger.Level.WARNING, "node '" + ctx.nodeId() + "': tearing down '" + artifact
                    + "' failed", unwrap(e));
            return null;
        });
        return tail;
    }

    private CompletableFuture<Void> drive(KeyValue value) {
        if (value == null) {
            // The key is gone (unloaded, or the leader deleted it): nothing of it may run here.
            return converge(Target.NOTHING).thenRun(this::retireIfStillDeleted);
        }
        synchronized (this) {
            if (value.modRevision() <= writtenRevision) {
                return done();
            }
        }
        SliceAssignment a;
        try {
            a = SliceAssignmentCodec.decode(key, value.value());
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "node ''{0}'': not driving unreadable key: {1}", ctx.nodeId(),
                    e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        Target loadedIdle = new Target(true, 0, a.config());
        Target active = new Target(true, a.instances(), a.config());
        return switch (a.state()) {
            case LOAD, LOADING -> progress(value, a, SliceState.LOADING, loadedIdle, SliceState.LOADED);
            case LOADED -> converged(loadedIdle)
                    ? done()
                    : progress(value, a, SliceState.LOADING, loadedIdle, SliceState.LOADED);
            case ACTIVATE, ACTIVATING -> progress(value, a, SliceState.ACTIVATING, active, SliceState.ACTIVE);
            case ACTIVE -> converged(active)
                    ? done()
                    : progress(value, a, SliceState.ACTIVATING, active, SliceState.ACTIVE);
            case DEACTIVATE, DEACTIVATING -> progress(value, a, SliceState.DEACTIVATING, loadedIdle,
                    SliceState.LOADED);
            case UNLOAD, UNLOADING -> progress(value, a, SliceState.UNLOADING, Target.NOTHING, null);
            // Failed instances must not serve; the leader decides whether to retry (LOAD) or give up (UNLOAD).
            case FAILED -> converge(new Target(loaded != null, 0, runningConfig));
        };
    }

    private static CompletableFuture<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    private synchronized void retireIfStillDeleted() {
        if (latest == null && !scheduled) {
            retired = true;
            ctx.retire(key, this);
        }
    }

    private boolean converged(Target t) {
        return (loaded != null) == t.loaded() && running.size() == t.instances()
                && (t.instances() == 0 || runningConfig.equals(t.config()));
    }

    /**
     * Writes {@code working} (unless the key already says so), converges to {@code target}, then writes
     * {@code finished} (null: deletes the key); a failed step writes FAILED with the reason. A lost cas ends the
     * drive: the key has a newer command, which the next drive handles.
     */
    private CompletableFuture<Void> progress(KeyValue value, SliceAssignment a, SliceState working, Target target,
                                             SliceState finished) {
        CompletableFuture<Long> started = a.state() == working
                ? CompletableFuture.completedFuture(value.modRevision())
                : write(value.modRevision(), Optional.of(a.with(working, ctx.clock().instant())));
        return started.thenCompose(rev -> {
            if (rev < 0) {
                return done();
            }
            return converge(target).handle((v, error) -> error).thenCompose(error -> {
                if (error == null) {
                    Optional<SliceAssignment> end = finished == null
                            ? Optional.empty()
                            : Optional.of(a.with(finished, ctx.clock().instant()));
                    return write(rev, end).thenApply(r -> null);
                }
                Throwable cause = unwrap(error);
                String reason = cause instanceof SliceFailure f ? f.getMessage()
                        : working + " failed: " + cause;
                LOG.log(System.Logger.Level.WARNING, "node ''{0}'': ''{1}'' FAILED in {2}: {3}", ctx.nodeId(),
                        artifact, working, reason);
                return write(rev, Optional.of(a.failed(reason, ctx.clock().instant()))).thenApply(r -> null);
            });
        });
    }

    /** Cas-writes the key; completes with the new revision, or -1 when the cas lost. */
    private CompletableFuture<Long> write(long expected, Optional<SliceAssignment> value) {
        Optional<byte[]> bytes = value.map(SliceAssignmentCodec::encode);
        return ctx.kv().execute(new KvCommand.Cas(key, expected, bytes)).thenApply(result -> {
            if (result instanceof KvResult.CasFailed) {
                return -1L;
            }
            if (!(result instanceof KvResult.Ok ok)) {
                throw new IllegalStateException("cas '" + key + "' answered " + result);
            }
            synchronized (this) {
                handledRevision = Math.max(handledRevision, ok.revision());
                writtenRevision = Math.max(writtenRevision, ok.revision());
            }
            value.ifPresent(s -> ctx.bus().publish(new ClusterEvent.SliceStateChanged(ctx.nodeId(),
                    artifact.toString(), s.state(), s.instances(), s.reason())));
            return ok.revision();
        });
    }

    /** Brings the local slice to {@code t}: stop surplus or mismatched instances, load or unload, start missing. */
    private CompletableFuture<Void> converge(Target t) {
        CompletableFuture<Void> chain = done();
        boolean restartAll = !t.loaded() || t.instances() == 0
                || (!running.isEmpty() && !runningConfig.equals(t.config()));
        int keep = restartAll ? 0 : Math.min(running.size(), t.instances());
        for (int i = running.size() - 1; i >= keep; i--) {
            SliceInstance instance = running.get(i);
            chain = chain.thenCompose(v -> stop(instance));
        }
        if (t.loaded()) {
            chain = chain.thenCompose(v -> loaded != null ? done()
                    : ctx.store().load(artifact).thenAccept(l -> loaded = l));
        } else {
            chain = chain.thenCompose(v -> {
                if (loaded == null) {
                    return done();
                }
                return ctx.store().unload(loaded).thenRun(() -> loaded = null);
            });
        }
        return chain.thenCompose(v -> startMissing(t));
    }

    private CompletableFuture<Void> startMissing(Target t) {
        if (running.size() >= t.instances()) {
            return done();
        }
        String instanceId = ctx.nodeId() + "." + ctx.nextInstance();
        return ctx.store().activate(loaded, instanceId, t.config()).thenCompose(instance -> {
            ctx.local().add(instance);
            running.add(instance);
            runningConfig = t.config();
            List<CompletableFuture<Long>> puts = new ArrayList<>();
            for (String entry : instance.entryPoints()) {
                EndpointRecord r = new EndpointRecord(artifact, entry, ctx.nodeId(), instanceId, "ACTIVE");
                puts.add(ctx.kv().put(EndpointKeys.key(artifact, entry, instanceId), EndpointCodec.encode(r)));
            }
            return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new));
        }).thenCompose(v -> startMissing(t));
    }

    /** Withdraws the instance's endpoints, removes it from LocalInstances, then deactivates it. */
    private CompletableFuture<Void> stop(SliceInstance instance) {
        List<CompletableFuture<KvResult>> deletes = new ArrayList<>();
        for (String entry : instance.entryPoints()) {
            deletes.add(ctx.kv().delete(EndpointKeys.key(artifact, entry, instance.instanceId())));
        }
        return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)).thenCompose(v -> {
            ctx.local().remove(instance.instanceId());
            running.remove(instance);
            return ctx.store().deactivate(instance);
        });
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}

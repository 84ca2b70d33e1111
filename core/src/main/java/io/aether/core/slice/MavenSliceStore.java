package io.aether.core.slice;

import io.aether.slice.api.EntryPoint;
import io.aether.slice.api.Slice;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The {@link SliceStore} of a node: resolves slices with Maven Resolver (checksums enforced), gives each loaded
 * artifact its own {@link URLClassLoader} whose parent exposes only the JDK and {@code io.aether.slice.api}, and
 * runs every lifecycle step on the store's worker threads under the step's timeout.
 *
 * <p>Entry point names are read at load time from a probe instance that is created but never activated; an
 * activated instance must declare the same names, else its activation fails.
 */
public final class MavenSliceStore implements SliceStore {

    private static final System.Logger LOG = System.getLogger(MavenSliceStore.class.getName());
    private static final Pattern ENTRY_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final SliceStoreConfig config;
    private final SliceCaller caller;
    private final SliceResolver resolver;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor timers;

    /**
     * @param config the repositories, cache directory and step timeouts
     * @param caller what instances' {@link io.aether.slice.api.SliceContext#call} delegates to (the invoker)
     */
    public MavenSliceStore(SliceStoreConfig config, SliceCaller caller) {
        this.config = Objects.requireNonNull(config, "config");
        this.caller = Objects.requireNonNull(caller, "caller");
        this.resolver = new SliceResolver(config.repositories(), config.cacheDirectory());
        AtomicInteger workerIds = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.maxQueuedSteps()),
                r -> daemon(r, "aether-slice-store-" + workerIds.incrementAndGet()));
        this.workers.allowCoreThreadTimeOut(true);
        this.timers = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "aether-slice-store-timer"));
        // A cancelled timeout must not keep its step (and through it a slice's objects) reachable until it is due.
        this.timers.setRemoveOnCancelPolicy(true);
    }

    @Override
    public CompletableFuture<LoadedSlice> load(Artifact artifact) {
        Objects.requireNonNull(artifact, "artifact");
        return step(SliceState.LOADING, artifact + ": load", config.loadTimeout(),
                () -> CompletableFuture.completedFuture(loadNow(artifact)), null);
    }

    @Override
    public CompletableFuture<SliceInstance> activate(LoadedSlice slice, String instanceId, Map<String, String> config) {
        StoreLoadedSlice loaded = own(slice);
        Objects.requireNonNull(instanceId, "instanceId");
        Map<String, String> configCopy = Map.copyOf(config);
        String what = loaded.artifact() + " instance " + instanceId + ": activate";
        return step(SliceState.ACTIVATING, what, this.config.activateTimeout(),
                () -> activateNow(loaded, instanceId, configCopy, what),
                late -> {
                    // Activated after its timeout: nobody will route to it, so release what it acquired.
                    LOG.log(System.Logger.Level.WARNING, what + " completed after the timeout; deactivating it");
                    deactivate(late).whenComplete((v, e) -> {
                        if (e != null) {
                            LOG.log(System.Logger.Level.WARNING, "late " + what + ": " + e.getMessage(), e);
                        }
                    });
                });
    }

    @Override
    public CompletableFuture<Void> deactivate(SliceInstance instance) {
        if (!(instance instanceof StoreSliceInstance own)) {
            throw new IllegalArgumentException(instance + " was not activated by this store");
        }
        String what = own.artifact() + " instance " + own.instanceId() + ": deactivate";
        return step(SliceState.DEACTIVATING, what, config.deactivateTimeout(), () -> {
            Slice slice = own.beginDeactivation();
            if (slice == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("already deactivated"));
            }
            StoreLoadedSlice owner = own.owner();
            CompletionStage<Void> stage;
            try {
                stage = ContextLoader.call(owner.classLoader(), slice::deactivate);
            } finally {
                // Whatever deactivate does, the instance is gone: the loader must be unloadable.
                owner.detach(own);
            }
            return Objects.requireNonNull(stage, "deactivate returned null instead of a stage");
        }, null);
    }

    @Override
    public CompletableFuture<Void> unload(LoadedSlice slice) {
        StoreLoadedSlice loaded = own(slice);
        return step(SliceState.UNLOADING, loaded.artifact() + ": unload", config.unloadTimeout(), () -> {
            try {
                loaded.release();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("closing its class loader failed: " + e.getMessage(), e);
            }
            return CompletableFuture.completedFuture(null);
        }, null);
    }

    @Override
    public void close() {
        workers.shutdownNow();
        timers.shutdownNow();
        resolver.close();
    }

    private StoreLoadedSlice loadNow(Artifact artifact) {
        List<Path> jars = resolver.resolve(artifact);
        URLClassLoader loader = new URLClassLoader("slice:" + artifact, urls(jars),
                new SliceApiClassLoader(Slice.class.getClassLoader()));
        try {
            Class<? extends Slice> sliceClass = findSliceClass(artifact, loader);
            Slice probe = StoreLoadedSlice.instantiate(loader, sliceClass);
            Set<String> names = ContextLoader.call(loader, () -> entryNames(artifact, probe.entryPoints()));
            return new StoreLoadedSlice(artifact, loader, sliceClass, names);
        } catch (RuntimeException | LinkageError e) {
            closeQuietly(artifact, loader);
            throw e;
        }
    }

    private static Class<? extends Slice> findSliceClass(Artifact artifact, ClassLoader loader) {
        List<Class<? extends Slice>> types = new ArrayList<>();
        try {
            ServiceLoader.load(Slice.class, loader).stream().forEach(p -> types.add(p.type()));
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("its META-INF/services/" + Slice.class.getName()
                    + " is invalid: " + e.getMessage(), e);
        }
        if (types.size() != 1) {
            throw new IllegalStateException("it must declare exactly one " + Slice.class.getName()
                    + " in META-INF/services/" + Slice.class.getName() + ", found " + types.size()
                    + (types.isEmpty() ? "" : ": " + types.stream().map(Class::getName).sorted().toList()));
        }
        return types.get(0);
    }

    private static Set<String> entryNames(Artifact artifact, Map<String, EntryPoint> entries) {
        if (entries == null || entries.isEmpty()) {
            throw new IllegalStateException("it declares no entry points");
        }
        Set<String> names = new TreeSet<>();
        for (Map.Entry<String, EntryPoint> e : entries.entrySet()) {
            if (e.getKey() == null || !ENTRY_NAME.matcher(e.getKey()).matches()) {
                throw new IllegalStateException("entry point name '" + e.getKey()
                        + "' must be 1..64 characters of [A-Za-z0-9_-]");
            }
            if (e.getValue() == null) {
                throw new IllegalStateException("entry point '" + e.getKey() + "' is null");
            }
            names.add(e.getKey());
        }
        return names;
    }

    private CompletionStage<SliceInstance> activateNow(StoreLoadedSlice loaded, String instanceId,
                                                       Map<String, String> sliceConfig, String what) {
        ClassLoader loader = loaded.classLoader();
        if (loader == null) {
            throw new IllegalStateException(loaded.artifact() + " is unloaded");
        }
        Slice slice = loaded.newSlice();
        InstanceContext context = new InstanceContext(loaded.artifact(), instanceId, sliceConfig, caller);
        CompletionStage<Void> activated = ContextLoader.call(loader, () -> slice.activate(context));
        Objects.requireNonNull(activated, "activate returned null instead of a stage");
        return activated.thenApply(ignored -> {
            Map<String, EntryPoint> entries = ContextLoader.call(loader, slice::entryPoints);
            Set<String> names = entryNames(loaded.artifact(), entries);
            if (!names.equals(loaded.entryPoints())) {
                throw new IllegalStateException("entry points after activate " + names
                        + " differ from those declared at load " + loaded.entryPoints());
            }
            StoreSliceInstance instance = new StoreSliceInstance(loaded, instanceId, slice, entries, loader);
            if (!loaded.attach(instance)) {
                throw new IllegalStateException(loaded.artifact() + " was unloaded while the instance activated");
            }
            return instance;
        });
    }

    /**
     * Runs one lifecycle step on a worker: {@code body} starts it and returns its stage. The returned future
     * fails with a {@link SliceFailure} naming {@code what} when the body throws, its stage fails or the timeout
     * passes first; it completes on a store thread. {@code onLateSuccess} receives a value that arrived after
     * the timeout.
     */
    private <T> CompletableFuture<T> step(SliceState state, String what, Duration timeout,
                                          Supplier<CompletionStage<? extends T>> body, Consumer<T> onLateSuccess) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Future<?> task;
        try {
            task = workers.submit(() -> {
                try {
                    body.get().whenCompleteAsync((value, error) -> {
                        if (error != null) {
                            result.completeExceptionally(failure(state, what, error));
                        } else if (!result.complete(value) && onLateSuccess != null) {
                            onLateSuccess.accept(value);
                        }
                    }, timers);
                } catch (RuntimeException | LinkageError e) {
                    result.completeExceptionally(failure(state, what, e));
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new SliceFailure(state, what + " refused: the slice store is "
                    + (workers.isShutdown() ? "closed" : "busy (" + config.maxQueuedSteps() + " steps queued)"), e));
            return result;
        }
        long timeoutMs = timeout.toMillis();
        ScheduledFuture<?> timer = timers.schedule(() -> {
            if (result.completeExceptionally(new SliceFailure(state, what + " timed out after " + timeoutMs + " ms",
                    null))) {
                // A body still blocking its worker is interrupted; one waiting on its own stage is simply abandoned.
                task.cancel(true);
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        result.whenComplete((v, e) -> timer.cancel(false));
        return result;
    }

    private static SliceFailure failure(SliceState state, String what, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof SliceFailure sf) {
            return sf;
        }
        String message = cause.getMessage() != null ? cause.getMessage() : cause.toString();
        return new SliceFailure(state, what + " failed: " + message, cause);
    }

    private StoreLoadedSlice own(LoadedSlice slice) {
        if (!(slice instanceof StoreLoadedSlice own)) {
            throw new IllegalArgumentException(slice + " was not loaded by this store");
        }
        return own;
    }

    private static URL[] urls(List<Path> jars) {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalStateException("jar path " + jars.get(i) + " is not a URL", e);
            }
        }
        return urls;
    }

    private static void closeQuietly(Artifact artifact, URLClassLoader loader) {
        try {
            loader.close();
        } catch (java.io.IOException e) {
            LOG.log(System.Logger.Level.WARNING, artifact + ": closing the class loader of a failed load: "
                    + e.getMessage(), e);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}

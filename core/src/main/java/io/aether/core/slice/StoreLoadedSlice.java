package io.aether.core.slice;

import io.aether.slice.api.Slice;
import java.io.IOException;
import java.net.URLClassLoader;
import java.util.Set;
import java.util.HashSet;

/**
 * A slice loaded by {@link MavenSliceStore}: its class loader, its {@link Slice} class and its live instances.
 * {@link #release} drops the loader and the class so that both can be collected.
 */
final class StoreLoadedSlice implements LoadedSlice {

    private final Artifact artifact;
    private final Set<String> entryPoints;
    private final Set<StoreSliceInstance> instances = new HashSet<>();
    private volatile URLClassLoader loader;
    private volatile Class<? extends Slice> sliceClass;

    StoreLoadedSlice(Artifact artifact, URLClassLoader loader, Class<? extends Slice> sliceClass,
                     Set<String> entryPoints) {
        this.artifact = artifact;
        this.loader = loader;
        this.sliceClass = sliceClass;
        this.entryPoints = Set.copyOf(entryPoints);
    }

    @Override
    public Artifact artifact() {
        return artifact;
    }

    @Override
    public Set<String> entryPoints() {
        return entryPoints;
    }

    /** A new, not yet activated {@link Slice} object, constructed with the slice's loader as context loader. */
    Slice newSlice() {
        URLClassLoader l = loader;
        Class<? extends Slice> c = sliceClass;
        if (l == null || c == null) {
            throw new IllegalStateException(artifact + " is unloaded");
        }
        return instantiate(l, c);
    }

    static Slice instantiate(ClassLoader loader, Class<? extends Slice> sliceClass) {
        return ContextLoader.call(loader, () -> {
            try {
                return sliceClass.getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new IllegalStateException("cannot create " + sliceClass.getName() + ": " + cause, cause);
            }
        });
    }

    /** The loader, or null once unloaded; for the store and for tests proving it is collected. */
    URLClassLoader classLoader() {
        return loader;
    }

    /** Registers an activated instance; false when the slice was unloaded meanwhile. */
    synchronized boolean attach(StoreSliceInstance instance) {
        if (loader == null) {
            return false;
        }
        instances.add(instance);
        return true;
    }

    synchronized void detach(StoreSliceInstance instance) {
        instances.remove(instance);
    }

    /**
     * Closes the loader (its jar files) and forgets it and the slice class, so both can be collected.
     *
     * @throws IllegalStateException when instances are still attached
     */
    synchronized void release() throws IOException {
        if (!instances.isEmpty()) {
            throw new IllegalStateException("instances still active (deactivate them first): "
                    + instances.stream().map(StoreSliceInstance::instanceId).sorted().toList());
        }
        URLClassLoader l = loader;
        loader = null;
        sliceClass = null;
        if (l != null) {
            l.close();
        }
    }

    @Override
    public String toString() {
        return "LoadedSlice[" + artifact + ", entryPoints=" + entryPoints + "]";
    }
}

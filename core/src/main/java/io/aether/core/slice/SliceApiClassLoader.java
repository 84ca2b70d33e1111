package io.aether.core.slice;

import java.io.IOException;
import java.net.URL;
import java.util.Enumeration;
import java.util.Objects;

/**
 * The parent of every slice's class loader: the JDK (platform class loader) plus the classes and resources of
 * {@code io.aether.slice.api} taken from Aether's own loader, and nothing else. A slice therefore cannot see
 * Aether's core, Vert.x, Jackson or any other library of the node; it brings its own in its jar's dependencies.
 */
final class SliceApiClassLoader extends ClassLoader {

    static final String API_PACKAGE = "io.aether.slice.api.";
    private static final String API_RESOURCE_PREFIX = "io/aether/slice/api/";

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader aether;

    SliceApiClassLoader(ClassLoader aether) {
        super("aether-slice-api", ClassLoader.getPlatformClassLoader());
        this.aether = Objects.requireNonNull(aether, "aether");
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(API_PACKAGE)) {
            // Delegate, do not define: the slice must share the node's Slice/EntryPoint types.
            return aether.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        throw new ClassNotFoundException(name + " is not visible to slices: they see only the JDK and "
                + API_PACKAGE + "*");
    }

    @Override
    public URL getResource(String name) {
        if (name.startsWith(API_RESOURCE_PREFIX)) {
            return aether.getResource(name);
        }
        return super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (name.startsWith(API_RESOURCE_PREFIX)) {
            return aether.getResources(name);
        }
        // The platform loader's only: never the node's META-INF/services or other classpath files.
        return super.getResources(name);
    }
}

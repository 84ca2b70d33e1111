package io.aether.core.slice;

/** A slice artifact resolved and loaded into its own class loader, ready to create instances. */
public interface LoadedSlice {

    Artifact artifact();

    /** The entry point names the slice declares (read from a probe instance at load time). */
    java.util.Set<String> entryPoints();
}

package io.aether.slice.api;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A unit of code Aether loads, activates and routes calls to. A slice jar declares its one implementation
 * through {@link java.util.ServiceLoader}: a file {@code META-INF/services/io.aether.slice.api.Slice} naming the
 * class, which must have a public no-argument constructor. Aether creates one object per instance.
 *
 * <p>A <em>service slice</em> offers several entry points; a {@link LeanSlice} offers exactly one.
 * Entry points are called concurrently from several threads and must not block them: answer with a
 * {@link CompletionStage} and do slow work elsewhere.
 */
public interface Slice {

    /**
     * The entry points by name; names are 1..64 characters of {@code [A-Za-z0-9_-]}. Aether reads the names once at
     * load time from a probe object that it never activates, and the entry points of each instance once after
     * {@link #activate} succeeded: the names must not depend on activation (an instance whose names differ fails).
     */
    Map<String, EntryPoint> entryPoints();

    /** Prepares the instance before it takes calls. A failed or late stage leaves the instance FAILED. */
    default CompletionStage<Void> activate(SliceContext context) {
        return CompletableFuture.completedFuture(null);
    }

    /** Releases what {@link #activate} acquired; no call is in flight or will arrive. */
    default CompletionStage<Void> deactivate() {
        return CompletableFuture.completedFuture(null);
    }
}

package io.aether.slice.api;

import java.util.Map;

/** A slice with exactly one entry point, named {@value #ENTRY_POINT}: implement {@link #call} and nothing else. */
public interface LeanSlice extends Slice, EntryPoint {

    /** The name of a lean slice's only entry point. */
    String ENTRY_POINT = "handle";

    @Override
    default Map<String, EntryPoint> entryPoints() {
        return Map.of(ENTRY_POINT, this);
    }
}

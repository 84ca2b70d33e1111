package io.aether.core.cluster;

import java.util.Locale;

/** A core node votes in the KV's consensus; a worker only runs slices. Both host slices. */
public enum NodeRole {
    CORE, WORKER;

    /** The name in {@code nodes/} values: {@code core} or {@code worker}. */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    static NodeRole parse(String json) {
        for (NodeRole r : values()) {
            if (r.json().equals(json)) {
                return r;
            }
        }
        throw new IllegalArgumentException("role '" + json + "' is not core or worker");
    }
}

package io.aether.core.kv;

import java.util.Objects;
import java.util.Optional;

/**
 * One key's change at one revision. For a {@link Type#DELETE} the {@code kv} is a tombstone: the key, an empty
 * value, modRevision = the deleting revision, createRevision and version 0 (as in etcd).
 *
 * @param prevKv the key before the change; empty when a put created it
 */
public record WatchEvent(Type type, KeyValue kv, Optional<KeyValue> prevKv) {

    /** What happened to the key. */
    public enum Type { PUT, DELETE }

    public WatchEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(kv, "kv");
        Objects.requireNonNull(prevKv, "prevKv");
    }
}

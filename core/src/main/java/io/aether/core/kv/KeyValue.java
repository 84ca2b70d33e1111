package io.aether.core.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * One key as stored at some revision (etcd's model).
 *
 * @param key            the key, a non-empty UTF-8 path such as {@code blueprints/shop/web}
 * @param value          the value bytes; {@link #value()} hands out a copy so callers can never change stored state
 * @param createRevision the revision that created the key (since its last deletion); 0 in a delete event's tombstone
 * @param modRevision    the revision of the last write to the key (for a tombstone: the deleting revision)
 * @param version        writes since creation: 1 after the creating put; 0 in a tombstone
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {

    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    /** A copy of the value bytes. */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The stored array itself, for the package's own read-only use (encoding, comparing, sizing). */
    byte[] sharedValue() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue other
                && key.equals(other.key)
                && Arrays.equals(value, other.value)
                && createRevision == other.createRevision
                && modRevision == other.modRevision
                && version == other.version;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(value), createRevision, modRevision, version);
    }

    @Override
    public String toString() {
        return "KeyValue[key=" + key + ", value=" + value.length + " bytes, createRevision=" + createRevision
                + ", modRevision=" + modRevision + ", version=" + version + "]";
    }
}

package io.aether.core.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The keys and the revision counter. Writes of one command all carry the same pending revision and are collected as
 * watch events; {@link #commit} makes that revision current. Keys sort by {@link String#compareTo}.
 */
final class KvStore {

    private static final byte[] EMPTY = new byte[0];

    private final TreeMap<String, KeyValue> keys;
    private long revision;
    private long dataBytes;
    private final List<WatchEvent> pendingEvents = new ArrayList<>();

    KvStore() {
        this(new TreeMap<>(), 0);
    }

    KvStore(TreeMap<String, KeyValue> keys, long revision) {
        this.keys = keys;
        this.revision = revision;
        for (KeyValue kv : keys.values()) {
            dataBytes += bytesOf(kv);
        }
    }

    /** What the stored keys count against the data quota ({@link KvLimits#maxDataBytes()}). */
    long dataBytes() {
        return dataBytes;
    }

    /** What the entry stored under {@code key} counts against the quota; 0 when there is none. */
    long bytesOf(String key) {
        KeyValue kv = keys.get(key);
        return kv == null ? 0 : bytesOf(kv);
    }

    private static long bytesOf(KeyValue kv) {
        return KvLimits.entryBytes(kv.key(), kv.sharedValue().length);
    }

    long revision() {
        return revision;
    }

    /** A range result's bound (half the default 16 MiB wire frame); the same on every replica. */
    static final int MAX_RANGE_RESULT_BYTES = 8 << 20;
    /** A key-value's encoding beyond its key (at most 3 UTF-8 bytes per char) and value: revisions, lengths. */
    private static final int RANGE_ENTRY_OVERHEAD_BYTES = 40;

    int size() {
        return keys.size();
    }

    Optional<KeyValue> get(String key) {
        return Optional.ofNullable(keys.get(key));
    }

    /**
     * Keys starting with {@code prefix} and sorting after {@code after} (empty: from the first), up to limit and
     * about {@value #MAX_RANGE_RESULT_BYTES} bytes (at least one key): a result must fit a wire frame, so a range
     * over large values stops early with {@code more} set and the caller pages on from its last key.
     */
    KvResult.RangeResult range(String prefix, String after, int limit, long reportedRevision) {
        NavigableMap<String, KeyValue> tail = !after.isEmpty() && after.compareTo(prefix) >= 0
                ? keys.tailMap(after, false) : keys.tailMap(prefix, true);
        List<KeyValue> kvs = new ArrayList<>(Math.min(limit, 64));
        boolean more = false;
        long bytes = 0;
        for (Map.Entry<String, KeyValue> entry : tail.entrySet()) {
            if (!entry.getKey().startsWith(prefix)) {
                break;
            }
            KeyValue kv = entry.getValue();
            long size = RANGE_ENTRY_OVERHEAD_BYTES + 3L * kv.key().length() + kv.sharedValue().length;
            if (kvs.size() == limit || (!kvs.isEmpty() && bytes + size > MAX_RANGE_RESULT_BYTES)) {
                more = true;
                break;
            }
            kvs.add(kv);
            bytes += size;
        }
        return new KvResult.RangeResult(kvs, more, reportedRevision);
    }

    /** Writes {@code key} at {@code atRevision}; answers the previous entry. */
    Optional<KeyValue> put(String key, byte[] value, long atRevision) {
        KeyValue prev = keys.get(key);
        KeyValue next = prev == null
                ? new KeyValue(key, value, atRevision, atRevision, 1)
                : new KeyValue(key, value, prev.createRevision(), atRevision, prev.version() + 1);
        keys.put(key, next);
        dataBytes += bytesOf(next) - (prev == null ? 0 : bytesOf(prev));
        pendingEvents.add(new WatchEvent(WatchEvent.Type.PUT, next, Optional.ofNullable(prev)));
        return Optional.ofNullable(prev);
    }

    /** Removes {@code key} at {@code atRevision} if present; answers what was removed. */
    Optional<KeyValue> delete(String key, long atRevision) {
        KeyValue prev = keys.remove(key);
        if (prev != null) {
            dataBytes -= bytesOf(prev);
            KeyValue tombstone = new KeyValue(key, EMPTY, 0, atRevision, 0);
            pendingEvents.add(new WatchEvent(WatchEvent.Type.DELETE, tombstone, Optional.of(prev)));
        }
        return Optional.ofNullable(prev);
    }

    /** Up to {@code limit} keys with the prefix, in order (to delete); a list, so deleting cannot disturb it. */
    List<String> keysWithPrefix(String prefix, int limit) {
        List<String> found = new ArrayList<>(Math.min(limit, 64));
        for (String key : keys.tailMap(prefix, true).keySet()) {
            if (!key.startsWith(prefix) || found.size() == limit) {
                break;
            }
            found.add(key);
        }
        return found;
    }

    boolean hasKeyWithPrefix(String prefix) {
        String first = keys.ceilingKey(prefix);
        return first != null && first.startsWith(prefix);
    }

    boolean hasPendingChanges() {
        return !pendingEvents.isEmpty();
    }

    /** Makes {@code newRevision} current and hands over its events. */
    List<WatchEvent> commit(long newRevision) {
        if (newRevision != revision + 1 || pendingEvents.isEmpty()) {
            throw new IllegalStateException("commit of revision " + newRevision + " at revision " + revision
                    + " with " + pendingEvents.size() + " pending events: a revision is exactly one step and "
                    + "changes something");
        }
        revision = newRevision;
        List<WatchEvent> events = List.copyOf(pendingEvents);
        pendingEvents.clear();
        return events;
    }

    /** Every key in order, for the snapshot. */
    Iterable<KeyValue> all() {
        return keys.values();
    }
}

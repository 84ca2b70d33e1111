package io.aether.core.kv;

/**
 * Every bound of the KV state machine. The command limits and the dedupe bounds change results, so every replica of
 * a cluster must run with equal values; the history and watch bounds are local.
 *
 * @param maxKeyBytes         longest key or prefix, in UTF-8 bytes
 * @param maxValueBytes       largest value
 * @param maxTxnOps           most ops in one txn branch, and most compares
 * @param maxRangeLimit       largest range limit; also the most keys one delete-range removes
 * @param maxHistoryRevisions most revisions kept for watches
 * @param maxHistoryBytes     approximate memory bound of the watch history (the newest revision is always kept)
 * @param maxWatches          most active watches
 * @param maxTrackedClients   most clients in the dedupe table; the least recently active is evicted beyond it
 * @param dedupeWindow        seqs remembered per client below its highest applied seq (its outstanding-command bound)
 * @param maxDedupeBytes      memory bound of cached results; beyond it the least recently active clients' results
 *                            are dropped (their retries get {@link KvErrorCode#RESULT_DROPPED})
 * @param maxDataBytes        quota on the stored keys and values, each counted with {@link #ENTRY_OVERHEAD_BYTES} of
 *                            bookkeeping; a write creating a key that would grow the store beyond it fails with
 *                            {@link KvErrorCode#QUOTA_EXCEEDED}; rewrites of existing keys may exceed it by a
 *                            sixteenth; deletes and writes that do not grow the store always apply
 */
public record KvLimits(int maxKeyBytes, int maxValueBytes, int maxTxnOps, int maxRangeLimit,
                       int maxHistoryRevisions, long maxHistoryBytes, int maxWatches,
                       int maxTrackedClients, int dedupeWindow, long maxDedupeBytes, long maxDataBytes) {

    /**
     * What one stored key costs beyond its key and value in the quota: about its heap cost in this process (tree
     * node, entry record, string and array headers).
     */
    public static final int ENTRY_OVERHEAD_BYTES = 128;

    /**
     * The default {@link #maxDataBytes()} quota: 64 MiB, ample for a cluster's own state (a node's heap should be
     * about four times the quota; {@code ./aether-local} runs 256 MiB heaps).
     */
    public static final long DEFAULT_MAX_DATA_BYTES = 64L << 20;

    /** Key 1 KiB, value 1 MiB, txn 128 ops, range 10,000; 10,000 revisions / 64 MiB history; 10,000 watches;
     *  10,000 clients with a window of 64 and 64 MiB of cached results; a 64 MiB data quota. */
    public static final KvLimits DEFAULTS = new KvLimits(1024, 1 << 20, 128, 10_000,
            10_000, 64L << 20, 10_000, 10_000, 64, 64L << 20, DEFAULT_MAX_DATA_BYTES);

    public KvLimits {
        positive("maxKeyBytes", maxKeyBytes);
        positive("maxValueBytes", maxValueBytes);
        positive("maxTxnOps", maxTxnOps);
        positive("maxRangeLimit", maxRangeLimit);
        positive("maxHistoryRevisions", maxHistoryRevisions);
        positive("maxHistoryBytes", maxHistoryBytes);
        positive("maxWatches", maxWatches);
        positive("maxTrackedClients", maxTrackedClients);
        positive("dedupeWindow", dedupeWindow);
        positive("maxDedupeBytes", maxDedupeBytes);
        positive("maxDataBytes", maxDataBytes);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("KvLimits." + name + " must be positive but is " + value);
        }
    }

    public KvLimits withMaxKeyBytes(int v) {
        return new KvLimits(v, maxValueBytes, maxTxnOps, maxRangeLimit, maxHistoryRevisions, maxHistoryBytes,
                maxWatches, maxTrackedClients, dedupeWindow, maxDedupeBytes, maxDataBytes);
    }

    public KvLimits withMaxValueBytes(int v) {
        return new KvLimits(maxKeyBytes, v, maxTxnOps, maxRangeLimit, maxHistoryRevisions, maxHistoryBytes,
                maxWatches, maxTrackedClients, dedupeWindow, maxDedupeBytes, maxDataBytes);
    }

    public KvLimits withMaxTxnOps(int v) {
        return new KvLimits(maxKeyBytes, maxValueBytes, v, maxRangeLimit, maxHistoryRevisions, maxHistoryBytes,
                maxWatches, maxTrackedClients, dedupeWindow, maxDedupeBytes, maxDataBytes);
    }

    public KvLimits withMaxRangeLimit(int v) {
        return new KvLimits(maxKeyBytes, maxValueBytes, maxTxnOps, v, maxHistoryRevisions, maxHistoryBytes,
                maxWatches, maxTrackedClients, dedupeWindow, maxDedupeBytes, maxDataBytes);
    }

    public KvLimits withHistory(int revisions, long bytes) {
        return new KvLimits(maxKeyBytes, maxValueBytes, maxTxnOps, maxRangeLimit, revisions, bytes,
                maxWatches, maxTrackedClients, dedupeWindow, maxDedupeBytes, maxDataBytes);
    }

    public KvLimits withMaxWatches(int v) {
        return new KvLimits(maxKeyBytes, maxValueBytes, maxTxnOps, maxRangeLimit, maxHistoryRevisions,
                maxHistoryBytes, v, maxTrackedClients, dedupeWindow, maxDedupeBytes, maxDataBytes);
    }

    public KvLimits withDedupe(int trackedClients, int window, long bytes) {
        return new KvLimits(maxKeyBytes, maxValueBytes, maxTxnOps, maxRangeLimit, maxHistoryRevisions,
                maxHistoryBytes, maxWatches, trackedClients, window, bytes, maxDataBytes);
    }

    public KvLimits withMaxDataBytes(long v) {
        return new KvLimits(maxKeyBytes, maxValueBytes, maxTxnOps, maxRangeLimit, maxHistoryRevisions,
                maxHistoryBytes, maxWatches, maxTrackedClients, dedupeWindow, maxDedupeBytes, v);
    }

    /** What one key with {@code valueBytes} of value counts against {@link #maxDataBytes()}. */
    static long entryBytes(String key, int valueBytes) {
        return ENTRY_OVERHEAD_BYTES + 2L * key.length() + valueBytes;
    }
}

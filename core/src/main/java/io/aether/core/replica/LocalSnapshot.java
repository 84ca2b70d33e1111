package io.aether.core.replica;

import io.aether.core.consensus.BatchId;
import io.aether.core.consensus.LogEntry;
import io.aether.core.kv.CapturedSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * What this replica keeps in its snapshot store: the KV snapshot plus the highest batch seq this replica has
 * sealed. The seq lives here because the WAL before a snapshot is truncated, and with it the replica's
 * {@code BatchSealed} entries; a restarted engine that forgot its seq counter would reuse batch ids, and peers
 * would drop the new batches as already known. Snapshots sent to peers carry only the KV bytes (what follows
 * {@link #HEADER_BYTES}).
 *
 * @param lastOwnBatchSeq highest seq of a batch this replica sealed (0: none)
 * @param kv              the KV state machine's snapshot
 */
record LocalSnapshot(long lastOwnBatchSeq, byte[] kv) {

    /** Bytes before the KV snapshot (the seq); a peer installing this snapshot is sent what follows. */
    static final int HEADER_BYTES = 8;

    /** Writes a local snapshot: the seq, then the KV snapshot, streamed. */
    static void write(OutputStream out, long lastOwnBatchSeq, CapturedSnapshot kv) throws IOException {
        out.write(ByteBuffer.allocate(HEADER_BYTES).putLong(lastOwnBatchSeq).array());
        try {
            kv.writeTo(piece -> {
                try {
                    out.write(piece);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    static LocalSnapshot decode(byte[] data) {
        if (data.length < HEADER_BYTES) {
            throw new IllegalStateException("local snapshot of " + data.length + " bytes is shorter than its "
                    + HEADER_BYTES + "-byte header; the snapshot store passed its CRC, so this is a format bug");
        }
        long seq = ByteBuffer.wrap(data).getLong();
        return new LocalSnapshot(seq, Arrays.copyOfRange(data, HEADER_BYTES, data.length));
    }

    /**
     * The seq counter as a log entry the engine's recovery understands: a {@code BatchSealed} for this replica's
     * highest seq. Recovery only reads the seq from sealed entries; it never queues batches from them.
     */
    static List<LogEntry> seqMarker(int self, long lastOwnBatchSeq) {
        if (lastOwnBatchSeq <= 0) {
            return List.of();
        }
        return List.of(new LogEntry.BatchSealed(new BatchId(self, lastOwnBatchSeq)));
    }
}

package io.aether.core.storage;

/**
 * Tuning and bounds of a {@link WriteAheadLog}.
 *
 * @param segmentBytes     a segment is rolled before an append would make it larger than this
 * @param maxRecordBytes   largest payload accepted by {@code append} and trusted by recovery; a stored
 *                         record claiming more is treated as corruption, so reading never allocates more
 * @param writeBufferBytes appends collect in a buffer of this size; it is written out when full and on sync
 */
public record WalOptions(long segmentBytes, int maxRecordBytes, int writeBufferBytes) {

    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 << 20;
    public static final int DEFAULT_WRITE_BUFFER_BYTES = 1 << 20;

    /** Bounds the recovery scan and the replay of one file. */
    public static final long MAX_SEGMENT_BYTES = 1L << 30;
    public static final int MIN_WRITE_BUFFER_BYTES = 4 << 10;
    public static final int MAX_WRITE_BUFFER_BYTES = 64 << 20;

    public WalOptions {
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("wal options: maxRecordBytes " + maxRecordBytes + " must be at least 1");
        }
        long smallestSegmentBytes = SegmentHeader.BYTES + RecordHeader.BYTES + (long) maxRecordBytes;
        if (segmentBytes < smallestSegmentBytes || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("wal options: segmentBytes " + segmentBytes + " must be between "
                    + smallestSegmentBytes + " (room for one record of maxRecordBytes " + maxRecordBytes
                    + " plus headers) and " + MAX_SEGMENT_BYTES);
        }
        if (writeBufferBytes < MIN_WRITE_BUFFER_BYTES || writeBufferBytes > MAX_WRITE_BUFFER_BYTES) {
            throw new IllegalArgumentException("wal options: writeBufferBytes " + writeBufferBytes + " must be between "
                    + MIN_WRITE_BUFFER_BYTES + " and " + MAX_WRITE_BUFFER_BYTES);
        }
    }

    /** 64 MiB segments, 16 MiB records at most, a 1 MiB write buffer. */
    public static WalOptions defaults() {
        return new WalOptions(DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_RECORD_BYTES, DEFAULT_WRITE_BUFFER_BYTES);
    }
}

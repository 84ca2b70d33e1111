package io.aether.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Appends records to the end of the active segment through a write buffer: records reach the file when the
 * buffer fills or on {@link #sync()}, which also forces them to stable storage. The file is extended with zeros
 * {@link #PREALLOCATE_BYTES} at a time ahead of the records (up to the segment size), so most syncs write data
 * pages only: a sync that
 * also had to record a new file size cost 2–2.5× as much on the ext4 disk measured (docs/benchmarks.md).
 * Recovery reads a zero tail after the last record as that preallocated space; {@link #finish()} trims it when
 * the segment is sealed.
 */
final class SegmentWriter implements AutoCloseable {

    /** How far ahead of the records the file is extended with zeros. */
    static final int PREALLOCATE_BYTES = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10);

    private final SegmentFile segment;
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private final CRC32C crc = new CRC32C();
    private long writtenBytes;
    private long allocatedBytes;
    private final long allocateLimit;
    private boolean unforced;

    private SegmentWriter(SegmentFile segment, FileChannel channel, long writtenBytes, long allocatedBytes,
                          long allocateLimit, int bufferBytes) {
        this.segment = segment;
        this.channel = channel;
        this.writtenBytes = writtenBytes;
        this.allocatedBytes = allocatedBytes;
        this.allocateLimit = allocateLimit;
        this.buffer = ByteBuffer.allocateDirect(bufferBytes);
    }

    /**
     * Creates a new segment file holding only its header, forced to disk so that records are never appended to a
     * segment whose header could still be lost. The caller fsyncs the directory.
     */
    static SegmentWriter create(SegmentFile segment, long segmentBytes, int bufferBytes) throws IOException {
        FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            ByteBuffer header = new SegmentHeader(segment.firstIndex()).encode();
            while (header.hasRemaining()) {
                channel.write(header, header.position());
            }
            channel.force(false);
            return new SegmentWriter(segment, channel, SegmentHeader.BYTES, SegmentHeader.BYTES, segmentBytes,
                    bufferBytes);
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(channel, e);
            throw e;
        }
    }

    /**
     * Continues a recovered segment whose records end at {@code validBytes}; recovery has checked that anything
     * after them is preallocated zeros.
     */
    static SegmentWriter resume(SegmentFile segment, long validBytes, long segmentBytes, int bufferBytes)
            throws IOException {
        FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.WRITE);
        try {
            long size = channel.size();
            if (size < validBytes) {
                throw new IllegalStateException("wal segment " + segment.path() + " is " + size
                        + " bytes but recovery validated " + validBytes);
            }
            return new SegmentWriter(segment, channel, validBytes, size, segmentBytes, bufferBytes);
        } catch (RuntimeException e) {
            closeAfterFailure(channel, e);
            throw e;
        }
    }

    SegmentFile segment() {
        return segment;
    }

    /** Bytes of this segment including those still in the buffer. */
    long sizeBytes() {
        return writtenBytes + buffer.position();
    }

    boolean hasRecords() {
        return sizeBytes() > SegmentHeader.BYTES;
    }

    void append(byte[] payload) throws IOException {
        RecordHeader header = RecordHeader.forPayload(payload, crc);
        if (buffer.remaining() < RecordHeader.BYTES) {
            flush();
        }
        header.writeTo(buffer, crc);
        int done = 0;
        while (done < payload.length) {
            if (!buffer.hasRemaining()) {
                flush();
            }
            int chunk = Math.min(payload.length - done, buffer.remaining());
            buffer.put(payload, done, chunk);
            done += chunk;
        }
    }

    /** Hands buffered records to the operating system; they survive a process crash but not a power loss. */
    void flush() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        buffer.flip();
        long end = writtenBytes + buffer.remaining();
        if (end > allocatedBytes && end < allocateLimit) {
            preallocate(Math.min(end + PREALLOCATE_BYTES, allocateLimit));
        }
        while (buffer.hasRemaining()) {
            writtenBytes += channel.write(buffer, writtenBytes);
        }
        buffer.clear();
        unforced = true;
    }

    private void preallocate(long upTo) throws IOException {
        while (allocatedBytes < upTo) {
            ByteBuffer zeros = ZEROS.duplicate().limit((int) Math.min(ZEROS.capacity(), upTo - allocatedBytes));
            allocatedBytes += channel.write(zeros, allocatedBytes);
        }
    }

    /** Syncs the records and trims the preallocated zeros: the segment is complete and will not grow again. */
    void finish() throws IOException {
        flush();
        if (allocatedBytes > writtenBytes) {
            channel.truncate(writtenBytes);
            allocatedBytes = writtenBytes;
        }
        channel.force(true);
        unforced = false;
    }

    /** Makes every appended record durable; a no-op when nothing was appended since the last sync. */
    void sync() throws IOException {
        flush();
        if (unforced) {
            channel.force(false);
            unforced = false;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void closeAfterFailure(FileChannel channel, Exception failure) {
        try {
            channel.close();
        } catch (IOException closeFailure) {
            failure.addSuppressed(closeFailure);
        }
    }
}

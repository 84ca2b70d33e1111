package io.aether.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Appends records to the end of the active segment through a write buffer: records reach the file when the
 * buffer fills or on {@link #sync()}, which also forces them to stable storage.
 */
final class SegmentWriter implements AutoCloseable {

    private final SegmentFile segment;
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private final CRC32C crc = new CRC32C();
    private long writtenBytes;
    private boolean unforced;

    private SegmentWriter(SegmentFile segment, FileChannel channel, long writtenBytes, int bufferBytes) {
        this.segment = segment;
        this.channel = channel;
        this.writtenBytes = writtenBytes;
        this.buffer = ByteBuffer.allocateDirect(bufferBytes);
    }

    /**
     * Creates a new segment file holding only its header, forced to disk so that records are never appended to a
     * segment whose header could still be lost. The caller fsyncs the directory.
     */
    static SegmentWriter create(SegmentFile segment, int bufferBytes) throws IOException {
        FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            ByteBuffer header = new SegmentHeader(segment.firstIndex()).encode();
            while (header.hasRemaining()) {
                channel.write(header, header.position());
            }
            channel.force(false);
            return new SegmentWriter(segment, channel, SegmentHeader.BYTES, bufferBytes);
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(channel, e);
            throw e;
        }
    }

    /** Continues a recovered segment whose valid content is exactly {@code validBytes} long. */
    static SegmentWriter resume(SegmentFile segment, long validBytes, int bufferBytes) throws IOException {
        FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.WRITE);
        try {
            if (channel.size() != validBytes) {
                throw new IllegalStateException("wal segment " + segment.path() + " is " + channel.size()
                        + " bytes but recovery validated " + validBytes);
            }
            return new SegmentWriter(segment, channel, validBytes, bufferBytes);
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
        while (buffer.hasRemaining()) {
            writtenBytes += channel.write(buffer, writtenBytes);
        }
        buffer.clear();
        unforced = true;
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

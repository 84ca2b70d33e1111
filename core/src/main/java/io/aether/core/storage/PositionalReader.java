package io.aether.core.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reads byte ranges of one file below a fixed size through a small window, so that walking many small records
 * costs one read call per window rather than per record, and memory stays at the window size.
 */
final class PositionalReader {

    static final int WINDOW_BYTES = 64 << 10;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final byte[] window = new byte[WINDOW_BYTES];
    private long windowStart;
    private int windowLength;

    PositionalReader(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    long size() {
        return size;
    }

    Path path() {
        return path;
    }

    /** Copies {@code length} bytes at {@code position} into {@code target[offset..]}. */
    void read(long position, byte[] target, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int chunk = Math.min(length - done, WINDOW_BYTES);
            int at = locate(position + done, chunk);
            System.arraycopy(window, at, target, offset + done, chunk);
            done += chunk;
        }
    }

    /** Feeds {@code length} bytes at {@code position} into {@code crc} without materialising them. */
    void updateCrc(CRC32C crc, long position, long length) throws IOException {
        long done = 0;
        while (done < length) {
            int chunk = (int) Math.min(length - done, WINDOW_BYTES);
            int at = locate(position + done, chunk);
            crc.update(window, at, chunk);
            done += chunk;
        }
    }

    /** Makes {@code [position, position+length)} resident and returns its offset in the window. */
    private int locate(long position, int length) throws IOException {
        if (position < 0 || length > WINDOW_BYTES || position + length > size) {
            throw new IllegalStateException("read of " + length + " bytes at " + position + " is outside " + path
                    + " (" + size + " bytes)");
        }
        if (position >= windowStart && position + length <= windowStart + windowLength) {
            return (int) (position - windowStart);
        }
        windowStart = position;
        windowLength = 0;
        int wanted = (int) Math.min(WINDOW_BYTES, size - position);
        ByteBuffer target = ByteBuffer.wrap(window, 0, wanted);
        while (target.hasRemaining()) {
            int read = channel.read(target, position + target.position());
            if (read < 0) {
                throw new EOFException(path + ": file ended at " + (position + target.position())
                        + " while " + size + " bytes were expected; was it truncated by another process?");
            }
        }
        windowLength = wanted;
        return 0;
    }
}

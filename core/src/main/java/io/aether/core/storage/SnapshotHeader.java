package io.aether.core.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The header of a snapshot file: {@code [u32 magic "ASNP"][u32 version][u64 lastIncludedIndex][u64 data length]
 * [u32 crc32c of data][u32 crc32c of the preceding 28 bytes]}, big-endian; the data follows.
 */
record SnapshotHeader(long lastIncludedIndex, long dataBytes, int dataCrc) {

    static final int BYTES = 32;
    static final int MAGIC = 0x41534E50;
    static final int VERSION = 1;

    ByteBuffer encode() {
        ByteBuffer buffer = ByteBuffer.allocate(BYTES);
        buffer.putInt(MAGIC).putInt(VERSION).putLong(lastIncludedIndex).putLong(dataBytes).putInt(dataCrc);
        buffer.putInt(crcOf(buffer.array()));
        return buffer.flip();
    }

    /** Decodes a header, or says in words why {@code bytes} is not one. */
    static Decoded decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int magic = buffer.getInt();
        int version = buffer.getInt();
        long lastIncludedIndex = buffer.getLong();
        long dataBytes = buffer.getLong();
        int dataCrc = buffer.getInt();
        if (buffer.getInt() != crcOf(bytes)) {
            return new Decoded.Invalid("header crc mismatch");
        }
        if (magic != MAGIC) {
            return new Decoded.Invalid(String.format("bad magic 0x%08x", magic));
        }
        if (version != VERSION) {
            return new Decoded.Invalid("unsupported format version " + version + " (this build reads " + VERSION + ")");
        }
        return new Decoded.Valid(new SnapshotHeader(lastIncludedIndex, dataBytes, dataCrc));
    }

    private static int crcOf(byte[] header) {
        CRC32C crc = new CRC32C();
        crc.update(header, 0, BYTES - Integer.BYTES);
        return (int) crc.getValue();
    }

    sealed interface Decoded {
        record Valid(SnapshotHeader header) implements Decoded {}

        record Invalid(String reason) implements Decoded {}
    }
}

package io.aether.core.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The fixed header at the start of every segment: {@code [u32 magic "AWAL"][u32 version][u64 firstIndex]
 * [u32 crc32c of the preceding 16 bytes]}, big-endian.
 */
record SegmentHeader(long firstIndex) {

    static final int BYTES = 20;
    static final int MAGIC = 0x4157414C;
    static final int VERSION = 1;

    ByteBuffer encode() {
        ByteBuffer buffer = ByteBuffer.allocate(BYTES);
        buffer.putInt(MAGIC).putInt(VERSION).putLong(firstIndex);
        buffer.putInt(crcOf(buffer.array()));
        return buffer.flip();
    }

    /** Decodes a full header, or says in words why {@code bytes} is not one. */
    static Decoded decode(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("segment header is " + BYTES + " bytes, got " + bytes.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int magic = buffer.getInt();
        int version = buffer.getInt();
        long firstIndex = buffer.getLong();
        int storedCrc = buffer.getInt();
        if (storedCrc != crcOf(bytes)) {
            return new Decoded.Invalid("segment header crc mismatch");
        }
        if (magic != MAGIC) {
            return new Decoded.Invalid(String.format("bad segment magic 0x%08x", magic));
        }
        if (version != VERSION) {
            return new Decoded.Invalid("unsupported segment format version " + version + " (this build reads " + VERSION + ")");
        }
        return new Decoded.Valid(new SegmentHeader(firstIndex));
    }

    private static int crcOf(byte[] header) {
        CRC32C crc = new CRC32C();
        crc.update(header, 0, BYTES - Integer.BYTES);
        return (int) crc.getValue();
    }

    sealed interface Decoded {
        record Valid(SegmentHeader header) implements Decoded {}

        record Invalid(String reason) implements Decoded {}
    }
}

package io.aether.core.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The 12-byte header in front of every record payload: {@code [u32 payload length][u32 crc32c of payload]
 * [u32 crc32c of the preceding 8 bytes]}, big-endian. The header carries its own checksum so that a length is
 * never trusted before it is verified, and so that looking for a valid record at an arbitrary offset costs a
 * 12-byte check instead of reading a claimed payload.
 */
record RecordHeader(int payloadBytes, int payloadCrc) {

    static final int BYTES = 12;

    static RecordHeader forPayload(byte[] payload, CRC32C crc) {
        crc.reset();
        crc.update(payload);
        return new RecordHeader(payload.length, (int) crc.getValue());
    }

    void writeTo(ByteBuffer buffer, CRC32C crc) {
        int start = buffer.position();
        buffer.putInt(payloadBytes).putInt(payloadCrc);
        crc.reset();
        crc.update(buffer.duplicate().position(start).limit(start + 8));
        buffer.putInt((int) crc.getValue());
    }

    /**
     * Reads a header from {@code bytes[offset..offset+12)}, or returns null when its own checksum does not match
     * (null rather than Optional: recovery calls this at every byte offset of a damaged tail).
     */
    static RecordHeader parseOrNull(byte[] bytes, int offset, CRC32C crc) {
        crc.reset();
        crc.update(bytes, offset, 8);
        if ((int) crc.getValue() != intAt(bytes, offset + 8)) {
            return null;
        }
        return new RecordHeader(intAt(bytes, offset), intAt(bytes, offset + 4));
    }

    long recordBytes() {
        return BYTES + Integer.toUnsignedLong(payloadBytes);
    }

    private static int intAt(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xff) << 24) | ((bytes[offset + 1] & 0xff) << 16)
                | ((bytes[offset + 2] & 0xff) << 8) | (bytes[offset + 3] & 0xff);
    }
}

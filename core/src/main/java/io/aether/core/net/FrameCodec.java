package io.aether.core.net;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Encodes frames: {@code [u32 length][u8 version][u8 type][u32 clusterId][payload][u32 crc32c]} where length
 * counts every byte after itself and the CRC-32C covers version through payload. Big-endian throughout.
 */
final class FrameCodec {
    static final byte VERSION = 1;
    static final int LENGTH_PREFIX_BYTES = 4;
    /** version + type + clusterId + crc: the smallest legal value of the length field (empty payload). */
    static final int MIN_LENGTH = 1 + 1 + 4 + 4;
    static final int HEADER_AFTER_LENGTH = 1 + 1 + 4;
    static final int CRC_BYTES = 4;

    private FrameCodec() {}

    /**
     * Encodes one frame.
     *
     * @throws IllegalArgumentException if the frame would exceed {@code maxFrameBytes} (a caller bug: the layer
     *     above must keep its messages under the configured bound)
     */
    static byte[] encode(byte type, int clusterId, byte[] payload, int maxFrameBytes) {
        long length = (long) MIN_LENGTH + payload.length;
        if (length > maxFrameBytes) {
            throw new IllegalArgumentException("frame of type " + FrameTypes.hex(type) + " with a "
                    + payload.length + "-byte payload exceeds maxFrameBytes " + maxFrameBytes
                    + "; split the message or raise the bound on every node");
        }
        byte[] out = new byte[LENGTH_PREFIX_BYTES + (int) length];
        ByteBuffer buf = ByteBuffer.wrap(out);
        buf.putInt((int) length);
        buf.put(VERSION);
        buf.put(type);
        buf.putInt(clusterId);
        buf.put(payload);
        buf.putInt(crc(out, LENGTH_PREFIX_BYTES, HEADER_AFTER_LENGTH + payload.length));
        return out;
    }

    static int crc(byte[] bytes, int offset, int count) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, count);
        return (int) crc.getValue();
    }
}

package io.aether.core.net;

import java.nio.ByteBuffer;

/** Builders of deliberately wrong frames for the tests. */
final class Frames {
    private Frames() {}

    /** Rewrites the version byte and recomputes the CRC so that only the version is wrong. */
    static byte[] withVersion(byte[] frame, byte version) {
        byte[] copy = frame.clone();
        copy[4] = version;
        ByteBuffer.wrap(copy).putInt(copy.length - 4, FrameCodec.crc(copy, 4, copy.length - 8));
        return copy;
    }

    static byte[] hello(int clusterId, Role role, String nodeId, String secret) {
        return FrameCodec.encode(FrameTypes.HELLO, clusterId, new Hello(role, nodeId, secret).encode(),
                TransportConfig.DEFAULT_MAX_FRAME_BYTES);
    }
}

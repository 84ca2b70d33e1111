package io.aether.core.net;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Incremental decoder for one connection's byte stream. Feed it chunks as they arrive; it emits whole frames.
 * The length field is checked against the bounds before any body buffer is allocated, so a hostile length can
 * never make it allocate more than {@code maxFrameBytes}. After the first {@link FrameException} the decoder is
 * dead: the stream has lost framing and the connection must be closed.
 */
final class FrameDecoder {
    private final int clusterId;
    private final int maxFrameBytes;
    private final IntFunction<byte[]> allocator;
    private final byte[] lengthBytes = new byte[FrameCodec.LENGTH_PREFIX_BYTES];
    private int lengthFilled;
    private byte[] body;
    private int bodyFilled;
    private long streamOffset;
    private boolean failed;

    FrameDecoder(int clusterId, int maxFrameBytes) {
        this(clusterId, maxFrameBytes, byte[]::new);
    }

    /** The allocator seam lets tests observe every body allocation. */
    FrameDecoder(int clusterId, int maxFrameBytes, IntFunction<byte[]> allocator) {
        if (maxFrameBytes < FrameCodec.MIN_LENGTH) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " is below the minimum frame "
                    + FrameCodec.MIN_LENGTH);
        }
        this.clusterId = clusterId;
        this.maxFrameBytes = maxFrameBytes;
        this.allocator = allocator;
    }

    /** Decodes {@code count} bytes from {@code src}, handing each complete frame to {@code sink} in order. */
    void feed(byte[] src, int offset, int count, Consumer<Frame> sink) throws FrameException {
        if (failed) {
            throw new IllegalStateException("decoder already failed; the connection should have been closed");
        }
        int pos = offset;
        int end = offset + count;
        while (pos < end) {
            if (body == null) {
                int n = Math.min(lengthBytes.length - lengthFilled, end - pos);
                System.arraycopy(src, pos, lengthBytes, lengthFilled, n);
                lengthFilled += n;
                pos += n;
                if (lengthFilled == lengthBytes.length) {
                    body = allocator.apply(checkedLength(ByteBuffer.wrap(lengthBytes).getInt()));
                    bodyFilled = 0;
                }
            } else {
                int n = Math.min(body.length - bodyFilled, end - pos);
                System.arraycopy(src, pos, body, bodyFilled, n);
                bodyFilled += n;
                pos += n;
                if (bodyFilled == body.length) {
                    Frame frame = parseBody();
                    streamOffset += FrameCodec.LENGTH_PREFIX_BYTES + body.length;
                    body = null;
                    lengthFilled = 0;
                    sink.accept(frame);
                }
            }
        }
    }

    /** True when bytes of an unfinished frame are buffered: a close now means the peer truncated a frame. */
    boolean hasPartialFrame() {
        return lengthFilled > 0;
    }

    /** Describes the unfinished frame for the truncation error message. */
    String partialFrameDescription() {
        if (body == null) {
            return lengthFilled + " of 4 length-prefix bytes at stream offset " + streamOffset;
        }
        return bodyFilled + " of " + body.length + " body bytes at stream offset " + streamOffset;
    }

    private int checkedLength(int length) throws FrameException {
        if (length < FrameCodec.MIN_LENGTH || length > maxFrameBytes) {
            throw fail("frame length " + Integer.toUnsignedString(length) + " at stream offset " + streamOffset
                    + " is outside [" + FrameCodec.MIN_LENGTH + ", maxFrameBytes=" + maxFrameBytes + "]");
        }
        return length;
    }

    private Frame parseBody() throws FrameException {
        ByteBuffer buf = ByteBuffer.wrap(body);
        byte version = buf.get();
        if (version != FrameCodec.VERSION) {
            throw fail("unknown frame version " + Byte.toUnsignedInt(version) + " at stream offset " + streamOffset
                    + " (this node speaks version " + FrameCodec.VERSION + ")");
        }
        int crcOffset = body.length - FrameCodec.CRC_BYTES;
        int expectedCrc = ByteBuffer.wrap(body, crcOffset, FrameCodec.CRC_BYTES).getInt();
        int actualCrc = FrameCodec.crc(body, 0, crcOffset);
        if (expectedCrc != actualCrc) {
            throw fail("crc mismatch in frame at stream offset " + streamOffset + " (corrupt bytes on the wire)");
        }
        byte type = buf.get();
        int frameClusterId = buf.getInt();
        if (frameClusterId != clusterId) {
            throw fail("frame for cluster id " + frameClusterId + " at stream offset " + streamOffset
                    + ", this node is in cluster " + clusterId + " (misrouted or misconfigured client)");
        }
        return new Frame(type, Arrays.copyOfRange(body, FrameCodec.HEADER_AFTER_LENGTH, crcOffset));
    }

    private FrameException fail(String message) {
        failed = true;
        return new FrameException(message);
    }
}

package io.aether.core.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private static final int CLUSTER = 42;
    private static final int MAX = 1024;

    private static List<Frame> decode(FrameDecoder decoder, byte[] bytes) throws FrameException {
        List<Frame> out = new ArrayList<>();
        decoder.feed(bytes, 0, bytes.length, out::add);
        return out;
    }

    private static byte[] frame(byte type, String payload) {
        return FrameCodec.encode(type, CLUSTER, payload.getBytes(StandardCharsets.UTF_8), MAX);
    }

    @Test
    void encodedFrameHasDocumentedLayout() {
        byte[] bytes = frame((byte) 7, "hi");
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        assertEquals(bytes.length - 4, buf.getInt(), "length counts the bytes after itself");
        assertEquals(1, buf.get(), "version");
        assertEquals(7, buf.get(), "type");
        assertEquals(CLUSTER, buf.getInt(), "cluster id");
        assertEquals('h', buf.get());
        assertEquals('i', buf.get());
        assertEquals(FrameCodec.crc(bytes, 4, bytes.length - 8), buf.getInt(), "crc32c over version..payload");
    }

    @Test
    void framesSplitAtEveryByteBoundaryDecodeInOrder() throws FrameException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(frame((byte) 1, "first"));
        stream.writeBytes(frame((byte) 2, ""));
        stream.writeBytes(frame((byte) 3, "third"));
        byte[] all = stream.toByteArray();
        for (int split = 0; split <= all.length; split++) {
            FrameDecoder decoder = new FrameDecoder(CLUSTER, MAX);
            List<Frame> out = new ArrayList<>();
            decoder.feed(all, 0, split, out::add);
            decoder.feed(all, split, all.length - split, out::add);
            assertEquals(3, out.size(), "split at " + split);
            assertEquals(2, out.get(1).type());
            assertArrayEquals("third".getBytes(StandardCharsets.UTF_8), out.get(2).payload());
            assertFalse(decoder.hasPartialFrame());
        }
    }

    @Test
    void partialFrameIsReportedForTruncationAtClose() throws FrameException {
        byte[] bytes = frame((byte) 1, "payload");
        FrameDecoder decoder = new FrameDecoder(CLUSTER, MAX);
        decoder.feed(bytes, 0, bytes.length - 1, f -> {});
        assertTrue(decoder.hasPartialFrame());
        assertTrue(decoder.partialFrameDescription().contains("body bytes"), decoder.partialFrameDescription());
    }

    @Test
    void lengthOverTheBoundIsRejectedBeforeAnyBodyIsAllocated() {
        List<Integer> allocations = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(CLUSTER, MAX, size -> {
            allocations.add(size);
            return new byte[size];
        });
        byte[] header = ByteBuffer.allocate(4).putInt(MAX + 1).array();
        FrameException e = assertThrows(FrameException.class, () -> decode(decoder, header));
        assertTrue(e.getMessage().contains("frame length 1025"), e.getMessage());
        assertTrue(allocations.isEmpty());
    }

    @Test
    void negativeLengthIsReadUnsignedAndRejected() {
        FrameException e = assertThrows(FrameException.class,
                () -> decode(new FrameDecoder(CLUSTER, MAX), new byte[] {(byte) 0xFF, 0, 0, 0}));
        assertTrue(e.getMessage().contains("frame length 4278190080"), e.getMessage());
    }

    @Test
    void lengthUnderTheMinimumIsRejected() {
        FrameException e = assertThrows(FrameException.class,
                () -> decode(new FrameDecoder(CLUSTER, MAX), new byte[] {0, 0, 0, 9}));
        assertTrue(e.getMessage().contains("outside [10,"), e.getMessage());
    }

    @Test
    void corruptByteFailsTheCrc() {
        byte[] bytes = frame((byte) 1, "payload");
        bytes[12] ^= 0x40;
        FrameException e = assertThrows(FrameException.class, () -> decode(new FrameDecoder(CLUSTER, MAX), bytes));
        assertTrue(e.getMessage().contains("crc mismatch"), e.getMessage());
    }

    @Test
    void unknownVersionIsRejected() {
        byte[] bytes = Frames.withVersion(frame((byte) 1, "x"), (byte) 2);
        FrameException e = assertThrows(FrameException.class, () -> decode(new FrameDecoder(CLUSTER, MAX), bytes));
        assertTrue(e.getMessage().contains("unknown frame version 2"), e.getMessage());
    }

    @Test
    void frameOfAnotherClusterIsRejected() {
        byte[] bytes = FrameCodec.encode((byte) 1, CLUSTER + 1, new byte[0], MAX);
        FrameException e = assertThrows(FrameException.class, () -> decode(new FrameDecoder(CLUSTER, MAX), bytes));
        assertTrue(e.getMessage().contains("cluster id 43"), e.getMessage());
    }

    @Test
    void decoderRefusesInputAfterAFailure() {
        FrameDecoder decoder = new FrameDecoder(CLUSTER, MAX);
        assertThrows(FrameException.class, () -> decode(decoder, new byte[] {0, 0, 0, 0}));
        assertThrows(IllegalStateException.class, () -> decode(decoder, frame((byte) 1, "ok")));
    }

    @Test
    void encoderRefusesFramesOverTheBound() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrameCodec.encode((byte) 1, CLUSTER, new byte[MAX], MAX));
        assertTrue(e.getMessage().contains("exceeds maxFrameBytes 1024"), e.getMessage());
    }

    @Test
    void helloRoundTripsAndRejectsTruncation() throws FrameException {
        Hello hello = new Hello(Role.CLIENT, "worker-7", "s3cret");
        assertEquals(hello, Hello.decode(hello.encode()));
        byte[] encoded = hello.encode();
        byte[] truncated = java.util.Arrays.copyOf(encoded, encoded.length - 1);
        FrameException e = assertThrows(FrameException.class, () -> Hello.decode(truncated));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}

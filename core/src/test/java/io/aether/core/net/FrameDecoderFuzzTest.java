package io.aether.core.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The decoder faces untrusted bytes: whatever arrives, it yields frames or a FrameException, never another
 * exception, never a buffer above maxFrameBytes, and it always consumes its input (no hang).
 */
class FrameDecoderFuzzTest {
    private static final int CLUSTER = 9;
    private static final int MAX = 512;

    record Outcome(List<Frame> frames, FrameException error, int largestAllocation) {}

    /** Feeds {@code bytes} in chunks of {@code chunk} bytes; only FrameException may escape the decoder. */
    private static Outcome decode(byte[] bytes, int chunk) {
        int[] largest = {0};
        FrameDecoder decoder = new FrameDecoder(CLUSTER, MAX, size -> {
            largest[0] = Math.max(largest[0], size);
            return new byte[size];
        });
        List<Frame> frames = new ArrayList<>();
        try {
            for (int offset = 0; offset < bytes.length; offset += chunk) {
                decoder.feed(bytes, offset, Math.min(chunk, bytes.length - offset), frames::add);
            }
            return new Outcome(frames, null, largest[0]);
        } catch (FrameException e) {
            return new Outcome(frames, e, largest[0]);
        }
    }

    @Property(tries = 2000)
    void randomBytesYieldFramesOrAFrameException(@ForAll @Size(max = 2048) byte[] bytes,
            @ForAll @IntRange(min = 1, max = 300) int chunk) {
        Outcome outcome = decode(bytes, chunk);
        assertTrue(outcome.largestAllocation() <= MAX, "allocated " + outcome.largestAllocation());
        if (outcome.error() != null) {
            assertTrue(outcome.error().getMessage().contains("stream offset"), outcome.error().getMessage());
        }
    }

    @Property(tries = 1000)
    void validFramesRoundTripInOrderWhateverTheChunking(@ForAll("frames") List<Frame> sent,
            @ForAll @IntRange(min = 1, max = 300) int chunk) {
        Outcome outcome = decode(concat(sent), chunk);
        assertEquals(null, outcome.error());
        assertEquals(sent.size(), outcome.frames().size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(sent.get(i).type(), outcome.frames().get(i).type());
            assertArrayEquals(sent.get(i).payload(), outcome.frames().get(i).payload());
        }
    }

    @Property(tries = 2000)
    void mutatedFramesYieldFramesOrAFrameException(@ForAll("frames") List<Frame> sent,
            @ForAll("mutations") List<int[]> mutations, @ForAll @IntRange(min = 1, max = 300) int chunk) {
        byte[] bytes = concat(sent);
        for (int[] mutation : mutations) {
            int at = Math.floorMod(mutation[0], bytes.length);
            switch (mutation[1]) {
                case 0 -> bytes[at] ^= (byte) (1 << mutation[2]);
                case 1 -> bytes = java.util.Arrays.copyOf(bytes, Math.max(1, at));
                default -> bytes[at] = (byte) mutation[3];
            }
        }
        Outcome outcome = decode(bytes, chunk);
        assertTrue(outcome.largestAllocation() <= MAX, "allocated " + outcome.largestAllocation());
        assertTrue(outcome.frames().size() <= sent.size(), "a mutation cannot invent extra valid frames here");
    }

    @Provide
    Arbitrary<List<Frame>> frames() {
        Arbitrary<Frame> frame = Combinators.combine(
                Arbitraries.integers().between(0, FrameTypes.MAX_APPLICATION_TYPE).map(Integer::byteValue),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(MAX - FrameCodec.MIN_LENGTH))
                .as(Frame::new);
        return frame.list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<int[]>> mutations() {
        Arbitrary<int[]> mutation = Combinators.combine(
                Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 255))
                .as((at, kind, bit, value) -> new int[] {at, kind, bit, value});
        return mutation.list().ofMinSize(1).ofMaxSize(4);
    }

    private static byte[] concat(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(f -> out.writeBytes(FrameCodec.encode(f.type(), CLUSTER, f.payload(), MAX)));
        return out.toByteArray();
    }
}

package io.aether.core.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Call frames come from the network: any bytes decode to a frame or a CallCodecException naming the problem. */
class CallFramesTest {

    @Property(tries = 3000)
    void randomBytesDecodeOrFailWithACallCodecException(@ForAll @Size(max = 256) byte[] bytes) {
        for (boolean request : new boolean[] {true, false}) {
            try {
                if (request) {
                    CallFrames.decodeRequest(bytes);
                } else {
                    CallFrames.decodeResponse(bytes);
                }
            } catch (CallCodecException e) {
                assertTrue(e.getMessage().startsWith("call "), e.getMessage());
            }
        }
    }

    @Property(tries = 1000)
    void aCorruptedRequestDecodesOrFailsWithACallCodecException(@ForAll("requests") CallFrames.Request sent,
            @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll byte value,
            @ForAll @IntRange(min = 0, max = 3) int cut) {
        byte[] bytes = CallFrames.encode(sent);
        bytes[position % bytes.length] = value;
        byte[] truncated = java.util.Arrays.copyOf(bytes, Math.max(0, bytes.length - cut));
        try {
            CallFrames.decodeRequest(truncated);
        } catch (CallCodecException e) {
            assertTrue(e.getMessage().startsWith("call "), e.getMessage());
        }
    }

    @Property(tries = 1000)
    void requestsRoundTrip(@ForAll("requests") CallFrames.Request sent) {
        assertEquals(sent, CallFrames.decodeRequest(CallFrames.encode(sent)));
    }

    @Property(tries = 500)
    void responsesRoundTrip(@ForAll long callId, @ForAll("statuses") int status, @ForAll boolean notRun,
            @ForAll String body) {
        CallFrames.Response sent = new CallFrames.Response(callId, status, notRun, body);
        assertEquals(sent, CallFrames.decodeResponse(CallFrames.encode(sent)));
    }

    @Test
    void aLengthPastTheEndIsRefusedWithoutAllocatingIt() {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + 2 + 2 + 2 + 4);
        b.putLong(1).putInt(100).putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(Integer.MAX_VALUE);
        CallCodecException e = assertThrows(CallCodecException.class, () -> CallFrames.decodeRequest(b.array()));
        assertTrue(e.getMessage().contains("'json' has length 2147483647 but only 0 bytes follow"), e.getMessage());
    }

    @Test
    void invalidUtf8AndTrailingBytesAndBadStatusesAreNamed() {
        byte[] good = CallFrames.encode(new CallFrames.Request(7, 10, "", "n1.0", "go", "{}"));
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
        assertTrue(assertThrows(CallCodecException.class, () -> CallFrames.decodeRequest(trailing)).getMessage()
                .contains("1 trailing bytes"));
        byte[] badUtf8 = good.clone();
        badUtf8[good.length - 1] = (byte) 0xC3;
        assertTrue(assertThrows(CallCodecException.class, () -> CallFrames.decodeRequest(badUtf8)).getMessage()
                .contains("'json' is not valid UTF-8"));
        byte[] response = CallFrames.encode(new CallFrames.Response(7, 404, false, "no"));
        response[8] = 0;
        response[9] = (byte) 150;
        assertTrue(assertThrows(CallCodecException.class, () -> CallFrames.decodeResponse(response)).getMessage()
                .contains("status 150"));
    }

    @Provide
    Arbitrary<CallFrames.Request> requests() {
        Arbitrary<String> ids = Arbitraries.strings().ofMinLength(1).ofMaxLength(40);
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs().between(0, 0xFFFF_FFFFL),
                Arbitraries.strings().ofMaxLength(60), ids, ids, Arbitraries.strings().ofMaxLength(300))
                .as(CallFrames.Request::new);
    }

    @Provide
    Arbitrary<Integer> statuses() {
        return Arbitraries.oneOf(Arbitraries.just(200), Arbitraries.integers().between(400, 599));
    }
}

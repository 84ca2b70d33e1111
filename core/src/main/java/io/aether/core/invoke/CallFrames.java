package io.aether.core.invoke;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The call protocol's two frames, carried as application frames of the net transport (which adds length, version,
 * cluster id and CRC32C). All integers are big-endian; strings are UTF-8 behind their byte length.
 *
 * <pre>
 * REQUEST  (0x40): callId u64 | remainingMs u32 | traceparent u16+bytes | instanceId u16+bytes
 *                  | entry u16+bytes | json u32+bytes
 * RESPONSE (0x41): callId u64 | status u16 | flags u8 | body u32+bytes
 * </pre>
 *
 * Decoding rejects, with a {@link CallCodecException} naming the field: truncation, trailing bytes, lengths over
 * their bound or past the end, invalid UTF-8, a status outside 200/400..599 and unknown flags.
 */
final class CallFrames {

    static final byte REQUEST = 0x40;
    static final byte RESPONSE = 0x41;
    /** Response flag: the callee never started the call (expired, overloaded, unknown instance); safe to retry. */
    static final int FLAG_NOT_RUN = 1;
    static final int OK = 200;
    static final int MAX_TRACEPARENT_BYTES = 512;
    static final int MAX_ID_BYTES = 1024;

    private CallFrames() {}

    /** A call to one instance. {@code remainingMs} 0 means the caller's deadline has already passed. */
    record Request(long callId, long remainingMs, String traceparent, String instanceId, String entry, String json) {
        Request {
            if (remainingMs < 0 || remainingMs > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("remainingMs " + remainingMs + " is outside 0..2^32-1");
            }
        }
    }

    /** The answer: status 200 with the JSON result, or an error status with a message. */
    record Response(long callId, int status, boolean notRun, String body) {
        Response {
            if (status != OK && (status < 400 || status > 599)) {
                throw new IllegalArgumentException("status " + status + " is neither 200 nor 400..599");
            }
        }
    }

    static byte[] encode(Request r) {
        byte[] trace = utf8(r.traceparent());
        byte[] instance = utf8(r.instanceId());
        byte[] entry = utf8(r.entry());
        byte[] json = utf8(r.json());
        checkLength("traceparent", trace.length, MAX_TRACEPARENT_BYTES);
        checkLength("instanceId", instance.length, MAX_ID_BYTES);
        checkLength("entry", entry.length, MAX_ID_BYTES);
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + 2 + trace.length + 2 + instance.length + 2 + entry.length
                + 4 + json.length);
        b.putLong(r.callId());
        b.putInt((int) r.remainingMs());
        b.putShort((short) trace.length).put(trace);
        b.putShort((short) instance.length).put(instance);
        b.putShort((short) entry.length).put(entry);
        b.putInt(json.length).put(json);
        return b.array();
    }

    static byte[] encode(Response r) {
        byte[] body = utf8(r.body());
        ByteBuffer b = ByteBuffer.allocate(8 + 2 + 1 + 4 + body.length);
        b.putLong(r.callId());
        b.putShort((short) r.status());
        b.put((byte) (r.notRun() ? FLAG_NOT_RUN : 0));
        b.putInt(body.length).put(body);
        return b.array();
    }

    static Request decodeRequest(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        try {
            long callId = b.getLong();
            long remainingMs = Integer.toUnsignedLong(b.getInt());
            String trace = string(b, "traceparent", Short.toUnsignedInt(b.getShort()), MAX_TRACEPARENT_BYTES);
            String instance = string(b, "instanceId", Short.toUnsignedInt(b.getShort()), MAX_ID_BYTES);
            String entry = string(b, "entry", Short.toUnsignedInt(b.getShort()), MAX_ID_BYTES);
            String json = string(b, "json", b.getInt(), Integer.MAX_VALUE);
            requireEnd(b, "request");
            if (instance.isEmpty() || entry.isEmpty()) {
                throw new CallCodecException("call request " + callId + " has an empty "
                        + (instance.isEmpty() ? "instanceId" : "entry"));
            }
            return new Request(callId, remainingMs, trace, instance, entry, json);
        } catch (BufferUnderflowException e) {
            throw new CallCodecException("call request of " + payload.length
                    + " bytes ends inside the field that starts at byte " + b.position());
        }
    }

    static Response decodeResponse(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        try {
            long callId = b.getLong();
            int status = Short.toUnsignedInt(b.getShort());
            int flags = Byte.toUnsignedInt(b.get());
            String body = string(b, "body", b.getInt(), Integer.MAX_VALUE);
            requireEnd(b, "response");
            if (status != OK && (status < 400 || status > 599)) {
                throw new CallCodecException("call response " + callId + " has status " + status
                        + "; expected 200 or 400..599");
            }
            if ((flags & ~FLAG_NOT_RUN) != 0) {
                throw new CallCodecException("call response " + callId + " has unknown flags 0x"
                        + Integer.toHexString(flags));
            }
            return new Response(callId, status, (flags & FLAG_NOT_RUN) != 0, body);
        } catch (BufferUnderflowException e) {
            throw new CallCodecException("call response of " + payload.length
                    + " bytes ends inside the field that starts at byte " + b.position());
        }
    }

    private static String string(ByteBuffer b, String field, int length, int max) {
        if (length < 0 || length > max) {
            throw new CallCodecException("call frame field '" + field + "' has length " + Integer.toUnsignedString(
                    length) + " over its bound " + max);
        }
        if (length > b.remaining()) {
            throw new CallCodecException("call frame field '" + field + "' has length " + length + " but only "
                    + b.remaining() + " bytes follow");
        }
        ByteBuffer slice = b.slice();
        slice.limit(length);
        b.position(b.position() + length);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(slice);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new CallCodecException("call frame field '" + field + "' is not valid UTF-8");
        }
    }

    private static void requireEnd(ByteBuffer b, String what) {
        if (b.hasRemaining()) {
            throw new CallCodecException("call " + what + " has " + b.remaining() + " trailing bytes");
        }
    }

    private static void checkLength(String field, int length, int max) {
        if (length > max) {
            throw new IllegalArgumentException("call field '" + field + "' is " + length + " bytes; the bound is "
                    + max);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

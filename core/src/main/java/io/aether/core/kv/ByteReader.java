package io.aether.core.kv;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link ByteWriter} wrote, checking every length against the bytes left so garbage can neither
 * overflow nor make it allocate more than the input's size. Every failure is a {@link KvCodecException} naming
 * the offset.
 */
final class ByteReader {

    private final String source;
    private final byte[] bytes;
    private int offset;
    private CharsetDecoder utf8;

    /** {@code source} names the input in errors, e.g. "command" or "snapshot". */
    ByteReader(String source, byte[] bytes) {
        this.source = source;
        this.bytes = bytes;
    }

    int offset() {
        return offset;
    }

    int remaining() {
        return bytes.length - offset;
    }

    int readByte(String what) {
        need(1, what);
        return bytes[offset++] & 0xff;
    }

    boolean readBoolean(String what) {
        int at = offset;
        int b = readByte(what);
        if (b > 1) {
            throw fail(at, what + " is " + b + ", not a boolean 0 or 1");
        }
        return b == 1;
    }

    int readInt(String what) {
        need(4, what);
        int v = ((bytes[offset] & 0xff) << 24) | ((bytes[offset + 1] & 0xff) << 16)
                | ((bytes[offset + 2] & 0xff) << 8) | (bytes[offset + 3] & 0xff);
        offset += 4;
        return v;
    }

    long readLong(String what) {
        need(8, what);
        long high = readInt(what) & 0xffffffffL;
        return (high << 32) | (readInt(what) & 0xffffffffL);
    }

    /** A count of elements that each take at least {@code minElementBytes}, checked against the bytes left. */
    int readCount(String what, int minElementBytes) {
        int at = offset;
        int count = readInt(what + " count");
        if (count < 0 || (long) count * minElementBytes > remaining()) {
            throw fail(at, what + " count " + count + " does not fit the " + remaining() + " bytes left");
        }
        return count;
    }

    byte[] readBytes(String what) {
        int at = offset;
        int length = readInt(what + " length");
        if (length < 0 || length > remaining()) {
            throw fail(at, what + " length " + length + " does not fit the " + remaining() + " bytes left");
        }
        byte[] b = new byte[length];
        System.arraycopy(bytes, offset, b, 0, length);
        offset += length;
        return b;
    }

    String readString(String what) {
        int at = offset;
        byte[] b = readBytes(what);
        if (isAscii(b)) {
            return new String(b, StandardCharsets.US_ASCII); // the common case needs no strict decoder
        }
        if (utf8 == null) {
            utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
        }
        try {
            return utf8.decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            // the JDK's own message is left out: results must not differ between replicas on different JDKs
            throw fail(at, what + " is not valid UTF-8");
        }
    }

    private static boolean isAscii(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return false;
            }
        }
        return true;
    }

    void expectEnd() {
        if (remaining() != 0) {
            throw fail(offset, remaining() + " trailing bytes after a complete " + source);
        }
    }

    KvCodecException fail(int at, String problem) {
        return new KvCodecException(source + " (" + bytes.length + " bytes) at offset " + at + ": " + problem);
    }

    private void need(int n, String what) {
        if (remaining() < n) {
            throw fail(offset, "truncated: " + what + " needs " + n + " bytes but " + remaining() + " are left");
        }
    }
}

package io.aether.core.consensus;

import java.util.Arrays;

/** A bounds-checked big-endian byte source for the codec; every failure names its offset. */
final class ByteReader {
    private final byte[] buf;
    private final int end;
    private int pos;

    ByteReader(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new IllegalArgumentException("range [" + offset + ", " + offset + "+" + length + ") outside a buffer of "
                    + buf.length + " bytes");
        }
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return end - pos;
    }

    private void need(int n, String what) throws CodecException {
        if (end - pos < n) {
            throw new CodecException("truncated input: " + what + " needs " + n + " bytes, " + (end - pos) + " left", pos);
        }
    }

    int u8(String what) throws CodecException {
        need(1, what);
        return buf[pos++] & 0xFF;
    }

    int i32(String what) throws CodecException {
        need(4, what);
        int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8)
                | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    long i64(String what) throws CodecException {
        need(8, what);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos + i] & 0xFF);
        }
        pos += 8;
        return v;
    }

    /** A count of elements each at least {@code minElementBytes} long: rejects counts the input cannot hold. */
    int count(String what, int minElementBytes) throws CodecException {
        int at = pos;
        int c = i32(what + " count");
        if (c < 0 || (long) c * minElementBytes > remaining()) {
            throw new CodecException(what + " count " + c + " does not fit in the " + remaining() + " bytes left", at);
        }
        return c;
    }

    byte[] bytes(String what) throws CodecException {
        int len = count(what + " length", 1);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + len);
        pos += len;
        return out;
    }
}

package io.aether.core.kv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable big-endian byte buffer for the codecs. */
final class ByteWriter {

    private byte[] bytes;
    private int size;

    ByteWriter(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    void writeByte(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    void writeBoolean(boolean b) {
        writeByte(b ? 1 : 0);
    }

    void writeInt(int v) {
        ensure(4);
        bytes[size++] = (byte) (v >>> 24);
        bytes[size++] = (byte) (v >>> 16);
        bytes[size++] = (byte) (v >>> 8);
        bytes[size++] = (byte) v;
    }

    void writeLong(long v) {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
    }

    /** A length-prefixed byte array. */
    void writeBytes(byte[] b) {
        writeInt(b.length);
        writeRaw(b);
    }

    /** A length-prefixed UTF-8 string; {@code what} names it in the error if it has no UTF-8 form. */
    void writeString(String s, String what) {
        int bad = Utf8.unpairedSurrogateIndex(s);
        if (bad >= 0) {
            throw new KvCodecException(what + " '" + Utf8.abbreviate(s, 64) + "' has an unpaired surrogate at char "
                    + bad + " and cannot be encoded as UTF-8; fix the string");
        }
        writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    int size() {
        return size;
    }

    /** Bytes as they are, without a length prefix. */
    void writeRaw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
    }

    /** What was written so far, as a new array; the writer starts empty again. */
    byte[] drain() {
        byte[] drained = toByteArray();
        size = 0;
        return drained;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            long wanted = Math.max((long) bytes.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new KvCodecException("encoding needs " + wanted + " bytes, more than a Java array holds");
            }
            bytes = Arrays.copyOf(bytes, (int) wanted);
        }
    }
}

package io.aether.core.consensus;

/** Bytes that are not a valid encoding: says what was wrong and at which byte offset. */
public final class CodecException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int offset;

    public CodecException(String message, int offset) {
        super(message + " (at byte offset " + offset + ")");
        this.offset = offset;
    }

    /** Offset of the byte where decoding failed. */
    public int offset() {
        return offset;
    }
}

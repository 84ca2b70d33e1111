package io.aether.core.consensus;

/** Bytes that are not a valid consensus message or log entry; the message says what and at which offset. */
public final class CodecException extends RuntimeException {

    public CodecException(String message) {
        super(message);
    }
}

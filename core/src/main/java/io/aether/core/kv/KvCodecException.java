package io.aether.core.kv;

/** Bytes that are not a valid encoding (or a value that cannot be encoded); the message names what and where. */
public final class KvCodecException extends RuntimeException {

    public KvCodecException(String message) {
        super(message);
    }
}
